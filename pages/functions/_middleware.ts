/**
 * The console's gate. Every request passes here first: unsafe methods must come from the console's own
 * origin; everything but the sign-in page and the sign-in/out endpoints needs a live session, checked
 * with the orchestrator on each request (so a sign-out or an expiry takes effect at once). Admins and
 * viewers both get in; what a viewer may do is decided by the ConsoleGateway, server-side
 * (workers/orchestrator/src/console/viewer-policy.ts), and the SPA only hides what it would refuse.
 */
import type { ConsoleSession } from "../../shared/console.ts";
import type { ConsoleFunction } from "../server/env.ts";
import { crossOriginProblem } from "../server/same-origin.ts";
import { escapeHtml, htmlPage, jsonError, secured, wantsJson } from "../server/responses.ts";
import { clearedSessionCookie, readSessionCookie } from "../server/session-cookie.ts";

/** Reachable without a session: the sign-in page and the two endpoints that start and end one. */
function isPublic(method: string, pathname: string): boolean {
  if (pathname === "/sign-in") return method === "GET" || method === "HEAD";
  return method === "POST" && (pathname === "/auth/sign-in" || pathname === "/auth/sign-out");
}

export const onRequest: ConsoleFunction = async (context) => {
  const { request } = context;
  const { pathname, search } = new URL(request.url);

  const problem = crossOriginProblem(request);
  if (problem) {
    return secured(wantsJson(request) ? jsonError(403, "forbidden", problem) : htmlPage(403, "Refused", `<h1>Refused</h1><p>${escapeHtml(problem)}</p>`));
  }
  if (isPublic(request.method, pathname)) return secured(await context.next());

  const token = readSessionCookie(request);
  let session: ConsoleSession | null = null;
  if (token) {
    try {
      session = await context.env.GATEWAY.session(token);
    } catch (error) {
      console.error("console: session check failed", error);
      const message = "The console cannot reach the orchestrator right now; try again in a moment.";
      return secured(wantsJson(request) ? jsonError(503, "unavailable", message) : htmlPage(503, "Unavailable", `<h1>Unavailable</h1><p>${message}</p>`));
    }
  }
  if (!session) return secured(signedOut(request, `${pathname}${search}`, token !== undefined));

  context.data.session = session;
  return secured(await context.next());
};

/** No live session: pages go to the sign-in form (and come back after), API calls get a 401. */
function signedOut(request: Request, wanted: string, hadCookie: boolean): Response {
  const headers = new Headers();
  // A dead cookie is of no use: drop it, so the browser stops sending it.
  if (hadCookie) headers.append("set-cookie", clearedSessionCookie());
  if (wantsJson(request) || (request.method !== "GET" && request.method !== "HEAD")) {
    return jsonError(401, "unauthorized", "Sign in first: there is no session, or it has expired or been signed out.", headers);
  }
  headers.set("location", wanted === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(wanted)}`);
  headers.set("cache-control", "no-store");
  return new Response(null, { status: 302, headers });
}
