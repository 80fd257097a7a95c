/** Locks as an admin steers them: a forced release frees a lock held by a stuck holder, and is audited. */
import { recordAudit } from "../audit/record.ts";
import { lockStub } from "../locks/lock-do.ts";
import type { Caller } from "./caller.ts";

/** Releases `holder`'s lease on `name`, or every lease when `holder` is null; answers who was released. */
export async function forceReleaseLock(caller: Caller, name: string, holder: string | null): Promise<string[]> {
  const released = await lockStub(caller.env, name).forceRelease(holder);
  await recordAudit(caller.db, caller.actor, "lock.force_release", name, { released });
  return released;
}
