/**
 * The dispatcher's watch over new executions. An execution's own watchdog alarm (see the engine) costs a
 * durable write to set and another to delete, as much as several of its steps, and most executions end
 * within seconds. So a newly admitted execution leaves the watchdog to the dispatcher, which holds every
 * running execution in its storage anyway, for its first NEW_EXECUTION_WATCH_MS: the dispatcher's alarm
 * then asks each one still running to arm its own (`watch`). A dispatcher instance that starts afresh
 * (after a restart) asks every running execution at once, which also wakes any that a crash interrupted.
 *
 * This list is the pure part: which running executions are due to be asked, and when the next one is.
 */
export const NEW_EXECUTION_WATCH_MS = 5_000;

export class WatchList {
  /** Execution id → when to ask it to arm its own watchdog. */
  private readonly dueAt = new Map<string, number>();

  /** An execution admitted at `now`: asked once it has run for NEW_EXECUTION_WATCH_MS. */
  admitted(executionId: string, now: number): void {
    this.dueAt.set(executionId, now + NEW_EXECUTION_WATCH_MS);
  }

  /** A running execution this instance knows nothing about (it was admitted before a restart): asked at once. */
  restored(executionId: string, now: number): void {
    this.dueAt.set(executionId, now);
  }

  /** Asking failed: ask again later. */
  postpone(executionId: string, now: number): void {
    if (this.dueAt.has(executionId)) this.dueAt.set(executionId, now + NEW_EXECUTION_WATCH_MS);
  }

  /** It armed its own watchdog, or it ended. */
  remove(executionId: string): void {
    this.dueAt.delete(executionId);
  }

  /** Executions due by `now`, at most `limit` of them (the rest stay due). */
  due(now: number, limit = Number.POSITIVE_INFINITY): string[] {
    const due: string[] = [];
    for (const [executionId, at] of this.dueAt) {
      if (due.length >= limit) break;
      if (at <= now) due.push(executionId);
    }
    return due;
  }

  /** When the next execution is due, or null when none waits. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const at of this.dueAt.values()) if (next === null || at < next) next = at;
    return next;
  }

  get size(): number {
    return this.dueAt.size;
  }
}
