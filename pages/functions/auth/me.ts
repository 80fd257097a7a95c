/** `GET /auth/me`: who is signed in, for the SPA's header: `{ email, role, expiresAt }`. */
import type { ConsoleFunction } from "../../server/env.ts";
import { jsonError } from "../../server/responses.ts";

export const onRequestGet: ConsoleFunction = ({ data }) => {
  if (!data.session) return jsonError(401, "unauthorized", "Sign in first.");
  const { identity, expiresAt } = data.session;
  return Response.json({ email: identity.email, role: identity.role, expiresAt }, { headers: { "cache-control": "no-store" } });
};
