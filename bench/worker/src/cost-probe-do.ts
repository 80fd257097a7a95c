/**
 * The cost probe of `npm run bench:costs`: repeats one runtime operation `times` times, so that the
 * script can divide the workerd CPU it took by that count. These operations are what every system of the
 * bench is made of (an execution's object, its agent calls, its writes and their commits, the calls to
 * the dispatcher, the event hub, the history writer and D1), so their prices explain the CPU per step.
 */
import { DurableObject } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";

export const costProbes = {
  "rpc": "a call to another Durable Object's no-op method",
  "rpc-callbacks": "the same call with two functions in its argument (an agent task's progress and log)",
  "rpc-write": "a call whose callee writes one row (its answer waits for the commit)",
  "new-object": "a call to a new Durable Object that writes one row (created, opened, committed)",
  "write-turn": "a write of one row in a turn of its own (one commit each)",
  "write4-turn": "four rows in one turn, one commit (an engine step writes four: two step records, two events)",
  "turn": "the same turn without the write (the baseline of write-turn)",
  "d1": "one D1 query (locally: through the D1 simulator)",
} as const;

export type CostProbe = keyof typeof costProbes;

/** The probes that are a turn of their own, by the rows each turn writes. */
const ROWS_PER_TURN = { turn: 0, "write-turn": 1, "write4-turn": 4 } as const;

export class ProbeTargetDO extends DurableObject<BenchEnv> {
  noop(_argument: unknown): number {
    return 1;
  }

  write(argument: unknown): number {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL)");
    this.ctx.storage.sql.exec("INSERT INTO rows (value) VALUES (?)", JSON.stringify(argument));
    return 1;
  }
}

export class CostProbeDO extends DurableObject<BenchEnv> {
  constructor(ctx: DurableObjectState, env: BenchEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL)");
  }

  /** Runs the probe `times` times, one after the other; answers the wall time it took. */
  async run(probe: CostProbe, times: number, runId: string): Promise<number> {
    const target = this.env.PROBE_TARGET.get(this.env.PROBE_TARGET.idFromName(`${runId}-target`));
    const startedAt = Date.now();
    for (let i = 0; i < times; i++) {
      const argument = { i, input: { value: i } };
      if (probe === "rpc") await target.noop(argument);
      else if (probe === "rpc-callbacks") await target.noop({ ...argument, progress: () => {}, log: () => {} });
      else if (probe === "rpc-write") await target.write(argument);
      else if (probe === "new-object") await this.env.PROBE_TARGET.get(this.env.PROBE_TARGET.idFromName(`${runId}-${i}`)).write(argument);
      else if (probe in ROWS_PER_TURN) {
        for (let row = 0; row < ROWS_PER_TURN[probe as keyof typeof ROWS_PER_TURN]; row++) {
          this.ctx.storage.sql.exec("INSERT INTO rows (value) VALUES (?)", JSON.stringify(argument));
        }
        await scheduler.wait(0);
      } else if (probe === "d1") await this.env.PROBE_DB.prepare("SELECT ? AS i").bind(i).first();
    }
    return Date.now() - startedAt;
  }
}
