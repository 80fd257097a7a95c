/**
 * Who runs next: the queue in priority order (then first come), admitted while the global limit, the
 * template's limit and the concurrency key's limit all have room. A blocked entry does not block the
 * ones behind it that fit. Waiting raises an entry's priority by one every AGING_MS, so no priority
 * starves: an entry overtakes anything at most (priority gap) × AGING_MS younger than it.
 *
 * Aging is continuous, so an entry's place never changes while it waits: `rank` = priority × AGING_MS −
 * enqueuedAt orders the queue at every moment (a +1 entry is ahead of a 0 entry unless the 0 one came
 * more than AGING_MS earlier). That is what lets AdmissionQueue keep the order in heaps instead of
 * sorting on every call. `planAdmissions` is the plain definition the queue is tested against.
 */
import { Heap } from "./heap.ts";

export const AGING_MS = 60_000;

export interface QueueEntry {
  executionId: string;
  templateId: string;
  /** The template's `concurrency.limit`: per key when `concurrencyKey` is set, else per template. */
  templateLimit: number | null;
  concurrencyKey: string | null;
  priority: number;
  enqueuedAt: number;
}

export type RunningEntry = Pick<QueueEntry, "executionId" | "templateId" | "templateLimit" | "concurrencyKey">;

export type WaitReason = "global" | "group";

export interface Waiting {
  entry: QueueEntry;
  /** 1 for the next in line. */
  position: number;
  kind: WaitReason;
  reason: string;
}

export interface AdmissionPlan {
  admit: QueueEntry[];
  waiting: Waiting[];
}

/** Higher runs first; constant while the entry waits (continuous aging). */
export function rank(entry: QueueEntry): number {
  return entry.priority * AGING_MS - entry.enqueuedAt;
}

/** The priority an entry has reached by `now`, for display. */
export function effectivePriority(entry: QueueEntry, now: number): number {
  return entry.priority + Math.floor(Math.max(0, now - entry.enqueuedAt) / AGING_MS);
}

export function runsBefore(a: QueueEntry, b: QueueEntry): boolean {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank > 0;
  if (a.enqueuedAt !== b.enqueuedAt) return a.enqueuedAt < b.enqueuedAt;
  return a.executionId < b.executionId;
}

export function queueOrder<T extends QueueEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => (a.executionId === b.executionId ? 0 : runsBefore(a, b) ? -1 : 1));
}

/** Entries that share a limit: every execution of a template, or of one concurrency key of it. */
export function groupOf(entry: RunningEntry): string {
  return entry.concurrencyKey === null ? `template:${entry.templateId}` : `key:${entry.templateId}:${entry.concurrencyKey}`;
}

function groupReason(entry: QueueEntry, inGroup: number): string {
  return entry.concurrencyKey === null
    ? `template "${entry.templateId}" limit reached: ${inGroup} of ${entry.templateLimit} running`
    : `concurrency key "${entry.concurrencyKey}" of "${entry.templateId}" is busy: ${inGroup} of ${entry.templateLimit} running`;
}

/** The definition, with a sort per call: the snapshot's reasons, and the reference the queue is tested against. */
export function planAdmissions(queued: readonly QueueEntry[], running: readonly RunningEntry[], globalLimit: number): AdmissionPlan {
  let total = running.length;
  const perGroup = new Map<string, number>();
  for (const entry of running) perGroup.set(groupOf(entry), (perGroup.get(groupOf(entry)) ?? 0) + 1);
  const admit: QueueEntry[] = [];
  const waiting: Waiting[] = [];
  for (const entry of queueOrder(queued)) {
    const group = groupOf(entry);
    const inGroup = perGroup.get(group) ?? 0;
    if (entry.templateLimit !== null && inGroup >= entry.templateLimit) {
      waiting.push({ entry, position: waiting.length + 1, kind: "group", reason: groupReason(entry, inGroup) });
    } else if (total >= globalLimit) {
      waiting.push({ entry, position: waiting.length + 1, kind: "global", reason: `global limit reached: ${total} of ${globalLimit} running` });
    } else {
      admit.push(entry);
      total++;
      perGroup.set(group, inGroup + 1);
    }
  }
  return { admit, waiting };
}

interface Group {
  readonly key: string;
  readonly queued: Heap<QueueEntry>;
  running: number;
  /** The entry this group is listed under in the ready heap, if it is listed. */
  listedWith: QueueEntry | undefined;
}

/**
 * The queue, kept in order as entries come and go: one heap per group, and a heap of the groups that
 * have room, keyed by their best entry. Admitting k entries costs O(k log n), however many wait behind
 * full groups. Removal is lazy (a removed entry is skipped when it reaches the top).
 */
export class AdmissionQueue {
  private readonly entries = new Map<string, QueueEntry>();
  private readonly groups = new Map<string, Group>();
  private readonly runningIn = new Map<string, Group>();
  private readonly ready = new Heap<{ group: Group; top: QueueEntry }>((a, b) => runsBefore(a.top, b.top));

  get size(): number {
    return this.entries.size;
  }

  get running(): number {
    return this.runningIn.size;
  }

  has(executionId: string): boolean {
    return this.entries.has(executionId);
  }

  get(executionId: string): QueueEntry | undefined {
    return this.entries.get(executionId);
  }

  isRunning(executionId: string): boolean {
    return this.runningIn.has(executionId);
  }

  queued(): QueueEntry[] {
    return [...this.entries.values()];
  }

  add(entry: QueueEntry): void {
    this.entries.set(entry.executionId, entry);
    const group = this.group(groupOf(entry));
    group.queued.push(entry);
    this.list(group);
  }

  /** Takes an entry out of the queue (it left, or it is about to come back with another priority). */
  remove(executionId: string): QueueEntry | undefined {
    const entry = this.entries.get(executionId);
    this.entries.delete(executionId);
    return entry;
  }

  /** An execution runs (admitted here, or found running after a restart). */
  started(entry: RunningEntry): void {
    if (this.runningIn.has(entry.executionId)) return;
    const group = this.group(groupOf(entry));
    group.running++;
    this.runningIn.set(entry.executionId, group);
  }

  /** A running execution ended: its group has room again. */
  ended(executionId: string): boolean {
    const group = this.runningIn.get(executionId);
    if (!group) return false;
    this.runningIn.delete(executionId);
    group.running--;
    this.list(group);
    return true;
  }

  /** Admits up to `room` entries in order, each within its group's limit. */
  admit(room: number): QueueEntry[] {
    const admitted: QueueEntry[] = [];
    while (admitted.length < room) {
      const listed = this.ready.pop();
      if (!listed) break;
      const { group, top } = listed;
      if (group.listedWith !== top) continue;
      group.listedWith = undefined;
      if (this.top(group) !== top || !this.hasRoom(group, top)) {
        this.list(group);
        continue;
      }
      group.queued.pop();
      this.entries.delete(top.executionId);
      group.running++;
      this.runningIn.set(top.executionId, group);
      admitted.push(top);
      this.list(group);
    }
    return admitted;
  }

  /** How many entries could start now if the global limit allowed, counting up to `cap`. */
  admissible(cap: number): number {
    let count = 0;
    for (const { group, top } of this.ready.values()) {
      if (count >= cap) break;
      if (group.listedWith !== top || this.top(group) !== top) continue;
      const room = top.templateLimit === null ? Number.POSITIVE_INFINITY : top.templateLimit - group.running;
      count += Math.min(room, group.queued.size);
    }
    return Math.min(count, cap);
  }

  private group(key: string): Group {
    let group = this.groups.get(key);
    if (!group) {
      group = { key, queued: new Heap(runsBefore), running: 0, listedWith: undefined };
      this.groups.set(key, group);
    }
    return group;
  }

  /** The group's best entry still queued (dropping removed ones from the top). */
  private top(group: Group): QueueEntry | undefined {
    for (;;) {
      const top = group.queued.peek();
      if (top === undefined || this.entries.get(top.executionId) === top) return top;
      group.queued.pop();
    }
  }

  private hasRoom(group: Group, entry: QueueEntry): boolean {
    return entry.templateLimit === null || group.running < entry.templateLimit;
  }

  /** Lists the group in the ready heap under its best entry, when it has room and is not listed under a better one. */
  private list(group: Group): void {
    const top = this.top(group);
    if (top === undefined) {
      if (group.running === 0 && group.listedWith === undefined) this.groups.delete(group.key);
      return;
    }
    // Listed under its best entry already; a listing under any other entry is stale from now on.
    if (!this.hasRoom(group, top) || group.listedWith === top) return;
    group.listedWith = top;
    this.ready.push({ group, top });
  }
}
