/**
 * Who runs next: the queue in priority order (then first come), admitted while the global limit, the
 * template's limit and the concurrency key's limit all have room. A blocked entry does not block the
 * ones behind it that fit. Waiting raises an entry's priority by one every AGING_MS, so no priority
 * starves: an entry overtakes anything at most (priority gap) × AGING_MS younger than it.
 */

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

export interface Waiting {
  entry: QueueEntry;
  /** 1 for the next in line. */
  position: number;
  reason: string;
}

export interface AdmissionPlan {
  admit: QueueEntry[];
  waiting: Waiting[];
}

export function effectivePriority(entry: QueueEntry, now: number): number {
  return entry.priority + Math.floor(Math.max(0, now - entry.enqueuedAt) / AGING_MS);
}

export function queueOrder(entries: readonly QueueEntry[], now: number): QueueEntry[] {
  return [...entries].sort(
    (a, b) =>
      effectivePriority(b, now) - effectivePriority(a, now) ||
      a.enqueuedAt - b.enqueuedAt ||
      (a.executionId < b.executionId ? -1 : 1),
  );
}

function groupOf(entry: RunningEntry): string {
  return entry.concurrencyKey === null ? `template:${entry.templateId}` : `key:${entry.templateId}:${entry.concurrencyKey}`;
}

export function planAdmissions(
  queued: readonly QueueEntry[],
  running: readonly RunningEntry[],
  globalLimit: number,
  now: number,
): AdmissionPlan {
  let total = running.length;
  const perGroup = new Map<string, number>();
  for (const entry of running) perGroup.set(groupOf(entry), (perGroup.get(groupOf(entry)) ?? 0) + 1);
  const admit: QueueEntry[] = [];
  const waiting: Waiting[] = [];
  for (const entry of queueOrder(queued, now)) {
    const group = groupOf(entry);
    const inGroup = perGroup.get(group) ?? 0;
    let reason: string | null = null;
    if (total >= globalLimit) {
      reason = `global limit reached: ${total} of ${globalLimit} running`;
    } else if (entry.templateLimit !== null && inGroup >= entry.templateLimit) {
      reason =
        entry.concurrencyKey === null
          ? `template "${entry.templateId}" limit reached: ${inGroup} of ${entry.templateLimit} running`
          : `concurrency key "${entry.concurrencyKey}" of "${entry.templateId}" is busy: ${inGroup} of ${entry.templateLimit} running`;
    }
    if (reason === null) {
      admit.push(entry);
      total++;
      perGroup.set(group, inGroup + 1);
    } else {
      waiting.push({ entry, position: waiting.length + 1, reason });
    }
  }
  return { admit, waiting };
}
