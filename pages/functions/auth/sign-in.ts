/**
 * `POST /auth/sign-in`: checks the credentials with the orchestrator and, when they are good, sets the
 * session cookie. A form post (the sign-in page) is redirected to where it was going, or shown the page
 * again with the reason; a JSON request (`{ email, password }`) gets JSON either way.
 */
import type { ConsoleEnv, ConsoleFunction } from "../../server/env.ts";
import { readCapped } from "../../../shared/read-capped.ts";
import { jsonError, wantsJson } from "../../server/responses.ts";
import { readSessionCookie, sessionCookie } from "../../server/session-cookie.ts";
import { safeNext, signInPage } from "../../server/sign-in-page.ts";

const MAX_BODY_BYTES = 16 * 1024;

interface Credentials {
  email: string;
  password: string;
  next: string;
}

export const onRequestPost: ConsoleFunction = async ({ request, env }) => {
  const json = wantsJson(request);
  const credentials = await readCredentials(request);
  if (typeof credentials === "string") {
    return json ? jsonError(400, "bad_request", credentials) : signInPage(400, { next: "/", error: credentials });
  }
  return signIn(request, env, credentials, json);
};

async function signIn(request: Request, env: ConsoleEnv, { email, password, next }: Credentials, json: boolean): Promise<Response> {
  let result;
  try {
    result = await env.GATEWAY.signIn({
      email,
      password,
      address: request.headers.get("cf-connecting-ip") ?? undefined,
      userAgent: request.headers.get("user-agent") ?? undefined,
      replacing: readSessionCookie(request),
    });
  } catch (error) {
    console.error("console: sign-in failed", error);
    const message = "The console cannot reach the orchestrator right now; try again in a moment.";
    return json ? jsonError(503, "unavailable", message) : signInPage(503, { next, email, error: message });
  }

  if (!result.ok) {
    const status = result.code === "rate_limited" ? 429 : 401;
    const headers = result.code === "rate_limited" ? { "retry-after": String(result.retryAfterSeconds) } : undefined;
    const code = result.code === "rate_limited" ? "rate_limited" : "unauthorized";
    return json ? jsonError(status, code, result.message, headers) : signInPage(status, { next, email, error: result.message }, headers);
  }

  const headers = new Headers({ "set-cookie": sessionCookie(result.token, result.session.expiresAt), "cache-control": "no-store" });
  if (json) {
    const { email: signedIn, role } = result.session.identity;
    return Response.json({ email: signedIn, role, expiresAt: result.session.expiresAt, next }, { headers });
  }
  headers.set("location", next);
  return new Response(null, { status: 303, headers });
}

/** The credentials of a JSON or form body, or what is wrong with it. */
async function readCredentials(request: Request): Promise<Credentials | string> {
  const type = request.headers.get("content-type") ?? "";
  // Read up to the cap and no further, with or without a Content-Length (a chunked body has none).
  const text = await readCapped(request, MAX_BODY_BYTES);
  if (text === null) return "The sign-in request is too large.";

  let fields: Record<string, unknown>;
  if (type.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      fields = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return "The sign-in request is not valid JSON; send { \"email\": \"…\", \"password\": \"…\" }.";
    }
  } else if (type.includes("application/x-www-form-urlencoded")) {
    fields = Object.fromEntries(new URLSearchParams(text));
  } else {
    return "Send the email and password as a form or as JSON ({ \"email\": \"…\", \"password\": \"…\" }).";
  }
  const { email, password, next } = fields;
  if (typeof email !== "string" || email.trim() === "" || typeof password !== "string" || password === "") {
    return "Enter both the email and the password.";
  }
  return { email, password, next: safeNext(next) };
}
