/**
 * When a trigger's buffer starts an execution, as a pure function of what it holds and the time, so the
 * Durable Object around it only stores and obeys (and the rule is tested without one).
 *
 * - debounce: everything, once the last event is `periodMs` old;
 * - batch: the oldest `maxSize` as soon as there are that many, or whatever there is once the oldest is
 *   `maxWaitMs` old.
 */
export type BufferMode = { kind: "debounce"; periodMs: number } | { kind: "batch"; maxSize: number; maxWaitMs: number };

export interface BufferContents {
  count: number;
  firstAt: number;
  lastAt: number;
}

/** `take` events (oldest first) start an execution now; else wake at `wakeAt` (null: nothing to wait for). */
export interface FlushPlan {
  take: number;
  wakeAt: number | null;
}

export function planFlush(mode: BufferMode, contents: BufferContents, now: number): FlushPlan {
  if (contents.count === 0) return { take: 0, wakeAt: null };
  if (mode.kind === "debounce") {
    const quietAt = contents.lastAt + mode.periodMs;
    return now >= quietAt ? { take: contents.count, wakeAt: null } : { take: 0, wakeAt: quietAt };
  }
  const dueAt = contents.firstAt + mode.maxWaitMs;
  if (contents.count >= mode.maxSize || now >= dueAt) return { take: Math.min(contents.count, mode.maxSize), wakeAt: null };
  return { take: 0, wakeAt: dueAt };
}
