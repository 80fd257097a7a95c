/**
 * flaky: the agent of the reliability runs. Every call is counted per idempotency key (in a Durable
 * Object per `scope`, so that a count survives a crash of the runtime), then the call may wait, fail at
 * random (seeded by key and attempt, so that a run replays) or sleep past its deadline. A call with
 * `tally` does no work and returns the counts of its scope: how the host reads them, since only the
 * orchestrator is reachable from outside the runtime.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { type AgentDescription, type AgentResult, type AgentTask } from "../../../../../shared/agent.ts";
import { BatonAgent } from "../../../../../shared/agent-kit.ts";
import { jsonSchema, parseInput } from "../../../../../shared/agent-schema.ts";
import type { Tally } from "./tally.ts";

interface Env {
  CALLS: DurableObjectNamespace<CallCounter>;
}

const inputSchema = z.object({
  scope: z.string().min(1).describe("Names the counter: one per reliability run"),
  delayMs: z.int().min(0).max(60_000).optional(),
  failRate: z.number().min(0).max(1).optional().describe("Share of calls that throw a retryable error"),
  hangRate: z.number().min(0).max(1).optional().describe("Share of calls that sleep past their deadline"),
  seed: z.string().optional(),
  tally: z.object({ maxCalls: z.int().min(1) }).optional().describe("Return the scope's counts instead"),
});

const description: AgentDescription = {
  name: "flaky",
  version: "1.0.0",
  description: "Test only: counts calls per idempotency key, fails and overruns on request.",
  input: jsonSchema(inputSchema, "input"),
  output: { type: "object" },
};

/** A number in [0, 1) from a string: FNV-1a then a mulberry32 round. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), 1 | t);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export class CallCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, n INTEGER NOT NULL)");
  }

  count(key: string): number {
    const row = this.ctx.storage.sql
      .exec<{ n: number }>("INSERT INTO calls (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n", key)
      .one();
    return row.n;
  }

  tally(maxCalls: number): Tally {
    const rows = this.ctx.storage.sql.exec<{ key: string; n: number }>("SELECT key, n FROM calls").toArray();
    const histogram: Record<string, number> = {};
    const over: Tally["over"] = [];
    let calls = 0;
    let maxPerKey = 0;
    let overCount = 0;
    for (const row of rows) {
      calls += row.n;
      maxPerKey = Math.max(maxPerKey, row.n);
      histogram[row.n] = (histogram[row.n] ?? 0) + 1;
      if (row.n > maxCalls) {
        overCount++;
        if (over.length < 20) over.push({ key: row.key, calls: row.n });
      }
    }
    return { keys: rows.length, calls, maxPerKey, histogram, over, overCount };
  }
}

export default class FlakyAgent extends BatonAgent<Env> {
  describe(): AgentDescription {
    return description;
  }

  async run(task: AgentTask): Promise<AgentResult> {
    const input = parseInput(inputSchema, task.input ?? {});
    const counter = this.env.CALLS.get(this.env.CALLS.idFromName(input.scope));
    if (input.tally) return { output: await counter.tally(input.tally.maxCalls) };
    const calls = await counter.count(task.idempotencyKey);
    if (input.delayMs) await scheduler.wait(input.delayMs);
    const roll = unitHash(`${input.seed ?? ""}/${task.idempotencyKey}/${task.attempt}`);
    const hangRate = input.hangRate ?? 0;
    if (roll < hangRate) {
      await scheduler.wait(Math.max(0, task.deadline - Date.now()) + 1_000);
      return { output: { attempt: task.attempt, calls, late: true } };
    }
    if (roll < hangRate + (input.failRate ?? 0)) throw new Error(`flaky: attempt ${task.attempt} fails at random`);
    return { output: { attempt: task.attempt, calls } };
  }
}
