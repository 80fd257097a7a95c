/** Locks as an admin steers them: a forced release frees a lock held by a stuck holder, and is audited. */
import type { LockRelease } from "#shared/api/resources.ts";
import { recordAudit } from "../audit/record.ts";
import { lockStub } from "../locks/lock-do.ts";
import type { Caller } from "./caller.ts";

/**
 * Releases `holder`'s places on `name` (and takes it out of line if it was waiting), or every place
 * when `holder` is null; the answer says in words what was freed, since "nothing" is a common surprise.
 */
export async function forceReleaseLock(caller: Caller, name: string, holder: string | null): Promise<LockRelease> {
  const { released, dequeued } = await lockStub(caller.env, name).forceRelease(holder);
  await recordAudit(caller.db, caller.actor, "lock.force_release", name, { holder, released, dequeued });
  const who = holder === null ? "Nobody" : `"${holder}"`;
  const message =
    released.length > 0
      ? `Freed ${released.length} place${released.length === 1 ? "" : "s"} of lock "${name}" (${released.join(", ")}).`
      : dequeued.length > 0
        ? `${who} held no place of lock "${name}"; it was waiting, and is out of line now.`
        : `${who} held no place of lock "${name}": nothing was freed.`;
  return { name, held: released.length > 0, released, dequeued, message };
}
