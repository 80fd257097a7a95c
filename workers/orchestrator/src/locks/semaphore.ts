/**
 * A counted semaphore with leases, as plain data and functions: `capacity` holders at once, the rest
 * wait first come first served, and a holder whose lease ran out (a crashed execution, say) no longer
 * counts, so a crash never deadlocks the others.
 */

export interface Holder {
  holder: string;
  executionId: string;
  stepKey: string;
  acquiredAt: number;
  expiresAt: number;
}

export interface Waiter {
  holder: string;
  executionId: string;
  stepKey: string;
  /** How long a place granted to this waiter lasts unless renewed (its step's timeout and some grace). */
  leaseMs: number;
  since: number;
}

export interface SemaphoreState {
  capacity: number;
  holders: Holder[];
  waiters: Waiter[];
}

export function releaseExpiredLeases(state: SemaphoreState, now: number): { state: SemaphoreState; expired: Holder[] } {
  const expired = state.holders.filter((h) => h.expiresAt <= now);
  return { state: { ...state, holders: state.holders.filter((h) => h.expiresAt > now) }, expired };
}

export type AcquireResult = { granted: true } | { granted: false; position: number; heldBy: string[] };

/** `holder` asks for a place: granted (or extended, when it holds one already), or queued behind the others. */
export function acquire(state: SemaphoreState, request: Omit<Waiter, "since">, now: number): { state: SemaphoreState; result: AcquireResult } {
  const { leaseMs } = request;
  const held = state.holders.find((h) => h.holder === request.holder);
  if (held) {
    const holders = state.holders.map((h) => (h === held ? { ...h, expiresAt: now + leaseMs } : h));
    return { state: { ...state, holders }, result: { granted: true } };
  }
  const waiting = state.waiters.findIndex((w) => w.holder === request.holder);
  const ahead = waiting === -1 ? state.waiters.length : waiting;
  if (state.holders.length < state.capacity && ahead === 0) {
    return {
      state: {
        ...state,
        holders: [...state.holders, { holder: request.holder, executionId: request.executionId, stepKey: request.stepKey, acquiredAt: now, expiresAt: now + leaseMs }],
        waiters: state.waiters.filter((w) => w.holder !== request.holder),
      },
      result: { granted: true },
    };
  }
  const waiters = waiting === -1 ? [...state.waiters, { ...request, since: now }] : state.waiters;
  return { state: { ...state, waiters }, result: { granted: false, position: ahead + 1, heldBy: state.holders.map((h) => h.executionId) } };
}

/** Gives up a place (or a place in line). */
export function release(state: SemaphoreState, holder: string): SemaphoreState {
  return { ...state, holders: state.holders.filter((h) => h.holder !== holder), waiters: state.waiters.filter((w) => w.holder !== holder) };
}

/** Moves waiters into free places, first come first served; returns who got one. */
export function grantWaiters(state: SemaphoreState, now: number): { state: SemaphoreState; granted: Waiter[] } {
  const free = Math.max(0, state.capacity - state.holders.length);
  const granted = state.waiters.slice(0, free);
  return {
    state: {
      ...state,
      holders: [...state.holders, ...granted.map((w) => ({ holder: w.holder, executionId: w.executionId, stepKey: w.stepKey, acquiredAt: now, expiresAt: now + w.leaseMs }))],
      waiters: state.waiters.slice(free),
    },
    granted,
  };
}

/** `storefront` → { name: "storefront", capacity: 1 }; `gpu:2` → { name: "gpu", capacity: 2 }. */
export function parseLockSpec(spec: string): { name: string; capacity: number } {
  const [name, count] = spec.split(":");
  return { name: name!, capacity: count ? Number(count) : 1 };
}
