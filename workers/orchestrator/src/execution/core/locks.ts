/**
 * A step's locks: asked for one by one in name order (so two steps needing the same locks cannot each
 * hold one the other needs), held for the attempt, given back when it ends. What is held lives in memory
 * only: after a restart the step asks again, which for a holder that still has the lock just extends
 * its lease, and a crashed holder's lease runs out.
 */
import type { AgentStep } from "#shared/template.ts";
import { DEFAULT_STEP_TIMEOUT_MS } from "../agent-call.ts";
import { parseLockSpec } from "../../locks/semaphore.ts";
import { WATCHDOG_MS } from "./limits.ts";
import { parseKey, stepData, type Turn } from "./turn.ts";

/** A lock's lease outlasts the attempt's timeout by this much, so only a crashed holder loses it. */
const LOCK_LEASE_GRACE_MS = 60_000;

export function holderOf(turn: Turn, key: string): string {
  return `${turn.state.facts.id}:${key}`;
}

export function missingLocks(turn: Turn, step: AgentStep, key: string): { name: string; capacity: number }[] {
  const held = turn.volatile.locksHeld.get(key);
  return (step.locks ?? []).map(parseLockSpec).filter((lock) => !held?.has(lock.name));
}

export function acquireNextLock(turn: Turn, step: AgentStep, item: number | null, missing: { name: string; capacity: number }[], unstored: { input?: unknown } = {}): void {
  const key = `${step.id}#${item ?? -1}`;
  const [next] = [...missing].sort((a, b) => (a.name < b.name ? -1 : 1));
  const waitingFor = `lock "${next!.name}"`;
  const target = item === null ? turn.step(step.id) : turn.step(step.id).fanOut?.active[item];
  // The alarm asks again in case the lock's word that it is our turn is lost.
  turn.volatile.wakeAt.set(key, turn.now + WATCHDOG_MS);
  if (target?.status !== "waiting" || !target.waitingFor?.startsWith(waitingFor)) {
    turn.emit("step.progress", stepData(step.id, item, { status: "waiting", waitingFor, wakeAt: turn.now + WATCHDOG_MS, ...unstored }));
  }
  if (turn.volatile.acquiring.has(key)) return;
  turn.volatile.acquiring.add(key);
  const leaseMs = (step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS) + LOCK_LEASE_GRACE_MS;
  turn.command({ type: "acquire-lock", key, name: next!.name, capacity: next!.capacity, holder: holderOf(turn, key), leaseMs });
}

/** Gives back every lock the step's attempt holds. */
export function releaseLocks(turn: Turn, key: string): void {
  const held = turn.volatile.locksHeld.get(key);
  turn.volatile.locksHeld.delete(key);
  if (!held) return;
  for (const name of held) turn.command({ type: "release-lock", name, holder: holderOf(turn, key) });
}

/** A lock answered that it is busy: say where the step stands in its line. */
export function lockBusy(turn: Turn, key: string, name: string, position: number | null, heldBy: string[]): void {
  turn.volatile.acquiring.delete(key);
  const { stepId, item } = parseKey(key);
  const target = item === null ? turn.state.steps[stepId] : turn.state.steps[stepId]?.fanOut?.active[item];
  if (target?.status !== "waiting") return;
  const waitingFor = `lock "${name}" (position ${position ?? "?"}, held by ${heldBy.join(", ") || "nobody"})`;
  if (target.waitingFor !== waitingFor) turn.emit("step.progress", stepData(stepId, item, { status: "waiting", waitingFor }));
}

/** Returns whether the lock is still wanted; when it is not, it is given back at once. */
export function lockGranted(turn: Turn, key: string, name: string): boolean {
  turn.volatile.acquiring.delete(key);
  // A grant that comes twice is ours already: giving it back would free a place the attempt holds.
  if (turn.volatile.locksHeld.get(key)?.has(name)) return false;
  const { stepId, item } = parseKey(key);
  const step = turn.stepsById.get(stepId);
  const target = item === null ? turn.state.steps[stepId] : turn.state.steps[stepId]?.fanOut?.active[item];
  const over = turn.state.status === "completed" || turn.state.status === "failed" || turn.state.status === "cancelled";
  if (!target || step?.type !== "agent" || target.status !== "waiting" || over) {
    turn.command({ type: "release-lock", name, holder: holderOf(turn, key) });
    return false;
  }
  const held = turn.volatile.locksHeld.get(key) ?? new Set<string>();
  held.add(name);
  turn.volatile.locksHeld.set(key, held);
  return true;
}
