/**
 * The tally of one bench run (one object per run id): chains report here when they finish, and the
 * driver waits here until all have, so completions are learnt the moment they happen, not by polling.
 */
import { DurableObject } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";
import type { ChainTiming } from "./protocol.ts";

interface Waiter {
  count: number;
  resolve: () => void;
}

export class TallyDO extends DurableObject<BenchEnv> {
  private readonly waiters = new Set<Waiter>();

  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS chains (id TEXT PRIMARY KEY, timing TEXT NOT NULL)");
  }

  /** A chain finished; a second report of the same chain (a replayed Workflow) is ignored. */
  report(timing: ChainTiming): void {
    this.ctx.storage.sql.exec("INSERT OR IGNORE INTO chains (id, timing) VALUES (?, ?)", timing.id, JSON.stringify(timing));
    const done = this.count();
    for (const waiter of this.waiters) {
      if (done >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Every chain reported so far, once `count` have, or after `timeoutMs` with however many there are. */
  async waitFor(count: number, timeoutMs: number): Promise<ChainTiming[]> {
    if (this.count() < count) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { count, resolve };
        this.waiters.add(waiter);
        timer = setTimeout(() => {
          this.waiters.delete(waiter);
          resolve();
        }, timeoutMs);
      });
      if (timer !== undefined) clearTimeout(timer);
    }
    return this.ctx.storage.sql
      .exec<{ timing: string }>("SELECT timing FROM chains")
      .toArray()
      .map((row) => JSON.parse(row.timing) as ChainTiming);
  }

  private count(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM chains").one().n;
  }
}
