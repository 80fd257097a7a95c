/** API tokens as an admin manages them: each creation and revocation leaves an audit row. */
import { createToken, type NewToken, revokeToken } from "../auth/api-tokens.ts";
import { recordAudit } from "../audit/record.ts";
import { DomainError } from "../errors.ts";
import type { Caller } from "./caller.ts";

/** Mints a token of the caller's scope or less, expiring no later than the caller's own. */
export async function createApiToken(caller: Caller, request: NewToken): Promise<Awaited<ReturnType<typeof createToken>>> {
  const created = await createToken(caller.db, request, caller.actor);
  await recordAudit(caller.db, caller.actor, "token.create", created.id, { name: created.name, scope: created.scope, expiresAt: created.expiresAt });
  return created;
}

export async function revokeApiToken(caller: Caller, id: string): Promise<void> {
  if (!(await revokeToken(caller.db, id))) throw new DomainError("not_found", `No API token with id "${id}".`);
  await recordAudit(caller.db, caller.actor, "token.revoke", id);
}
