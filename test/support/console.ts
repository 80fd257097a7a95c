/**
 * The console as a browser meets it, inside the test runtime: requests go through the Pages middleware
 * and then the Function Pages would route them to (or a stand-in for the SPA's static page), with the
 * Functions bound to the orchestrator's real ConsoleGateway entrypoint.
 */
import { createPagesEventContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { ConsoleGatewayRpc, UserRole } from "#shared/console.ts";
import * as middleware from "../../pages/functions/_middleware.ts";
import * as proxy from "../../pages/functions/api/[[path]].ts";
import * as me from "../../pages/functions/auth/me.ts";
import * as signIn from "../../pages/functions/auth/sign-in.ts";
import * as signOut from "../../pages/functions/auth/sign-out.ts";
import * as signInPage from "../../pages/functions/sign-in.ts";
import type { ConsoleData, ConsoleEnv, ConsoleFunction } from "../../pages/server/env.ts";
import { SESSION_COOKIE } from "../../pages/server/session-cookie.ts";
import { createUser } from "../../workers/orchestrator/src/auth/users.ts";
import { database } from "../../workers/orchestrator/src/db/client.ts";

export const CONSOLE_ORIGIN = "https://console.test";
export const ADMIN = { email: "admin@example.com", password: "test-password" };
export const SPA_PAGE = "<!doctype html><title>Baton console</title>";

export const gateway = exports.ConsoleGateway as unknown as ConsoleGatewayRpc;
const consoleEnv: ConsoleEnv = { GATEWAY: gateway, ASSETS: env.ASSETS };

export interface ConsoleCall {
  method?: string;
  /** The session token to send as the cookie. */
  session?: string;
  /** Defaults to the console's own origin on unsafe methods; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  body?: BodyInit;
}

export function consoleRequest(path: string, call: ConsoleCall = {}): Request {
  const method = call.method ?? "GET";
  const headers = new Headers(call.headers);
  if (call.session) headers.set("cookie", `theme=dark; ${SESSION_COOKIE}=${call.session}`);
  const origin = call.origin === undefined ? (method === "GET" || method === "HEAD" ? null : CONSOLE_ORIGIN) : call.origin;
  if (origin) headers.set("origin", origin);
  return new Request(`${CONSOLE_ORIGIN}${path}`, { method, headers, body: call.body ?? null });
}

/** Runs `fn` as Pages would, with the console's bindings. */
export async function runFunction(fn: ConsoleFunction, request: Request, data: ConsoleData, next?: (request: Request) => Promise<Response>): Promise<Response> {
  const context = createPagesEventContext<PagesFunction<Env, string, ConsoleData>>({
    // A test's request has no `cf` properties; no Function of the console reads them.
    request: request as Request<unknown, IncomingRequestCfProperties>,
    data,
    params: {},
    ...(next ? { next } : {}),
  });
  return fn({ ...context, env: consoleEnv });
}

/** The Function Pages routes a request to; anything else is a static page of the SPA. */
function route(request: Request): ConsoleFunction | undefined {
  const { pathname } = new URL(request.url);
  const method = request.method;
  if (pathname.startsWith("/api/")) return proxy.onRequest as ConsoleFunction;
  if (pathname === "/auth/sign-in" && method === "POST") return signIn.onRequestPost;
  if (pathname === "/auth/sign-out" && method === "POST") return signOut.onRequestPost;
  if (pathname === "/auth/me" && method === "GET") return me.onRequestGet;
  if (pathname === "/sign-in" && method === "GET") return signInPage.onRequestGet;
  return undefined;
}

/** A request through the middleware and on to its route, as one call from a browser. */
export async function consoleFetch(path: string, call: ConsoleCall = {}): Promise<Response> {
  const data: ConsoleData = {};
  return runFunction(middleware.onRequest, consoleRequest(path, call), data, async (request) => {
    const fn = route(request);
    if (!fn) return new Response(SPA_PAGE, { headers: { "content-type": "text/html" } });
    return runFunction(fn, request, data);
  });
}

/** The session token a response's Set-Cookie carries (undefined when it sets none or clears it). */
export function sessionFrom(response: Response): string | undefined {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  const value = cookie?.slice(SESSION_COOKIE.length + 1).split(";")[0];
  return value || undefined;
}

export async function signInThroughConsole(email = ADMIN.email, password = ADMIN.password): Promise<string> {
  const response = await consoleFetch("/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const token = sessionFrom(response);
  if (response.status !== 200 || !token) throw new Error(`sign-in as ${email}: ${response.status} ${await response.text()}`);
  return token;
}

/** A user made straight in D1; few iterations keep the tests quick (the count is stored with the hash). */
export async function addUser(email: string, password: string, role: UserRole): Promise<void> {
  await createUser(database(env.DB), { email, password, role }, { iterations: 1_000 });
}
