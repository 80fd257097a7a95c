/**
 * `POST /auth/sign-out`: revokes the session on the orchestrator (so the cookie is dead even if a copy
 * survives somewhere) and clears the cookie. A form post goes back to the sign-in page; a JSON request
 * gets `{ "signedOut": true }`.
 */
import type { ConsoleFunction } from "../../server/env.ts";
import { jsonError, wantsJson } from "../../server/responses.ts";
import { clearedSessionCookie, readSessionCookie } from "../../server/session-cookie.ts";

export const onRequestPost: ConsoleFunction = async ({ request, env }) => {
  const json = wantsJson(request);
  const token = readSessionCookie(request);
  if (token) {
    try {
      await env.GATEWAY.signOut(token);
    } catch (error) {
      // The cookie stays: clearing it would look like a sign-out while the session still lives.
      console.error("console: sign-out failed", error);
      return jsonError(503, "unavailable", "The console cannot reach the orchestrator to end the session; try again in a moment.");
    }
  }
  const headers = new Headers({ "set-cookie": clearedSessionCookie(), "cache-control": "no-store" });
  if (json) return Response.json({ signedOut: true }, { headers });
  headers.set("location", "/sign-in?signed-out");
  return new Response(null, { status: 303, headers });
};
