/**
 * The floor: a bare SQLite Durable Object running one chain, each step one RPC to the echo agent and one
 * SQLite write of its output. No scheduling, no events, no history: nothing a real orchestrator could
 * do with less, so Baton's steps per second are measured against it.
 */
import { DurableObject } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";
import { echoTask } from "./echo-task.ts";
import type { ChainTiming } from "./protocol.ts";

export class FloorChainDO extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS steps (step INTEGER PRIMARY KEY, output TEXT NOT NULL, at INTEGER NOT NULL)");
  }

  async run(chainId: string, steps: number): Promise<ChainTiming> {
    const startedAt = Date.now();
    const stepTimes: number[] = [];
    let rowsWritten = 0;
    for (let step = 1; step <= steps; step++) {
      const result = await this.env.ECHO.run(echoTask(chainId, step));
      const at = Date.now();
      rowsWritten += this.ctx.storage.sql.exec("INSERT OR REPLACE INTO steps (step, output, at) VALUES (?, ?, ?)", step, JSON.stringify(result.output), at).rowsWritten;
      stepTimes.push(at);
    }
    return { id: chainId, startedAt, stepTimes, completedAt: stepTimes.at(-1) ?? startedAt, rowsWritten };
  }
}
