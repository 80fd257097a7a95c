/**
 * How many of the global limit's slots a dispatcher shard should hold, given what it runs, what it could
 * start, and what the lender (GlobalLimitDO) last said. Pure, so the rule is tested on its own.
 *
 * A shard borrows in blocks that grow with what it holds (a burst of n starts costs the lender about
 * log2(n) calls, and a start rarely waits on it), keeps spare slots a while for the next starts, and, when other shards wait for slots, holds no more than its fair share: it stops
 * admitting above it and hands slots back as its executions end.
 */
export const BORROW_BLOCK = 8;

export interface LenderWord {
  /** Other shards wait for slots (or the limit was lowered below what is lent). */
  contended: boolean;
  /** The global limit divided among the shards that hold or want slots. */
  fairShare: number;
}

export interface SlotTarget {
  /** Slots to hold: more than held means borrow, fewer means give back. */
  hold: number;
  /** Slots the shard may fill now (held slots not running, within its fair share when contended). */
  room: number;
}

export function slotTarget(held: number, running: number, admissible: number, lender: LenderWord, keepSpare: boolean): SlotTarget {
  const need = running + admissible;
  if (lender.contended) {
    const hold = Math.max(running, Math.min(need, lender.fairShare));
    return { hold, room: Math.max(0, Math.min(held, lender.fairShare) - running) };
  }
  let hold = held;
  if (need > held) hold = held + Math.max(need - held, BORROW_BLOCK, held);
  else if (!keepSpare) hold = need;
  return { hold, room: Math.max(0, held - running) };
}
