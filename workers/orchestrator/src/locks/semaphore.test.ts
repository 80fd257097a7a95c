/** Proves the semaphore's rules as plain functions: capacity, FIFO waiting, re-entry, lease expiry. */
import { describe, expect, it } from "vitest";
import { acquire, grantWaiters, parseLockSpec, release, releaseExpiredLeases, type SemaphoreState } from "./semaphore.ts";

const ask = (holder: string) => ({ holder, executionId: `ex_${holder}`, stepKey: "s#-1", leaseMs: 1000 });
const empty = (capacity: number): SemaphoreState => ({ capacity, holders: [], waiters: [] });

describe("semaphore", () => {
  it("grants up to capacity, then queues first come first served", () => {
    let state = empty(2);
    for (const h of ["a", "b"]) {
      const step = acquire(state, ask(h), 0);
      expect(step.result).toEqual({ granted: true });
      state = step.state;
    }
    const c = acquire(state, ask("c"), 0);
    expect(c.result).toEqual({ granted: false, position: 1, heldBy: ["ex_a", "ex_b"] });
    const d = acquire(c.state, ask("d"), 0);
    expect(d.result).toMatchObject({ granted: false, position: 2 });
    const freed = grantWaiters(release(d.state, "a"), 5);
    expect(freed.granted.map((w) => w.holder)).toEqual(["c"]);
    expect(freed.state.holders.map((h) => h.holder)).toEqual(["b", "c"]);
    expect(freed.state.waiters.map((w) => w.holder)).toEqual(["d"]);
  });

  it("lets a holder re-acquire (extending its lease) and keeps a waiter's place when it asks again", () => {
    const held = acquire(empty(1), ask("a"), 0).state;
    const again = acquire(held, ask("a"), 500);
    expect(again.result).toEqual({ granted: true });
    expect(again.state.holders[0]!.expiresAt).toBe(1500);
    const waiting = acquire(acquire(again.state, ask("b"), 600).state, ask("c"), 600).state;
    expect(acquire(waiting, ask("c"), 700).result).toMatchObject({ position: 2 });
    // A free place still goes to whoever is first in line, not to a later asker.
    const freed = release(waiting, "a");
    expect(acquire(freed, ask("c"), 800).result).toMatchObject({ granted: false, position: 2 });
  });

  it("frees the places of expired leases", () => {
    const state = acquire(empty(1), ask("crashed"), 0).state;
    const { state: after, expired } = releaseExpiredLeases(state, 1000);
    expect(expired.map((h) => h.holder)).toEqual(["crashed"]);
    expect(acquire(after, ask("next"), 1000).result).toEqual({ granted: true });
  });

  it("parses lock specs", () => {
    expect(parseLockSpec("storefront")).toEqual({ name: "storefront", capacity: 1 });
    expect(parseLockSpec("gpu:2")).toEqual({ name: "gpu", capacity: 2 });
  });
});
