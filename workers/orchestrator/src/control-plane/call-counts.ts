/**
 * Counts the calls each control-plane object (dispatcher shards, the lender, history writers, event
 * hubs) receives, per second, in memory, so that `GET /v1/control-plane` and the bench can say which
 * object is busiest and how many calls an execution costs. One Durable Object serves on the order of a
 * thousand calls a second: this is the number that says how close an object is to being the ceiling.
 * Counts are kept by object id at module level, so they outlive the instance (an idle object is evicted
 * within seconds locally) while the isolate lives; they start afresh with the isolate. They are for
 * measuring, not accounting.
 */
import type { ControlPlaneObject, ControlPlaneRole } from "#shared/api/control-plane.ts";

/** Seconds of per-second counts kept. */
const KEEP_SECONDS = 900;
/** Objects counted per isolate (rate-limit objects are one per key); the oldest counter goes first. */
const MAX_COUNTERS = 2000;

interface Counter {
  role: ControlPlaneRole;
  calls: number;
  since: number;
  perSecond: Map<number, number>;
}

const counters = new Map<string, Counter>();

export function countCall(ctx: DurableObjectState, role: ControlPlaneRole): void {
  const key = ctx.id.toString();
  let counter = counters.get(key);
  if (!counter) {
    counter = { role, calls: 0, since: Date.now(), perSecond: new Map() };
    if (counters.size >= MAX_COUNTERS) counters.delete(counters.keys().next().value!);
    counters.set(key, counter);
  }
  counter.calls++;
  const second = Math.floor(Date.now() / 1000);
  counter.perSecond.set(second, (counter.perSecond.get(second) ?? 0) + 1);
  if (counter.perSecond.size > KEEP_SECONDS) {
    for (const key of counter.perSecond.keys()) {
      if (key > second - KEEP_SECONDS) break;
      counter.perSecond.delete(key);
    }
  }
}

/** This object's counts since it started (or since `sinceMs`, for the per-second part). */
export function callCounts(ctx: DurableObjectState, name: string, role: ControlPlaneRole, sinceMs = 0): ControlPlaneObject {
  const counter = counters.get(ctx.id.toString());
  const perSecond = [...(counter?.perSecond ?? [])].filter(([second]) => second * 1000 >= sinceMs - 999);
  return {
    role,
    name,
    calls: counter?.calls ?? 0,
    countingSince: counter?.since ?? Date.now(),
    callsSince: perSecond.reduce((sum, [, n]) => sum + n, 0),
    busiestSecond: perSecond.reduce((max, [, n]) => Math.max(max, n), 0),
    perSecond: perSecond.map(([second, calls]) => ({ second, calls })),
  };
}
