/**
 * The history writer (a role of each control shard): executions' rows reach D1 batched, nothing handed over is lost
 * when its instance goes, and one execution's rows that D1 refuses do not hold up everyone else's.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ControlShardDO } from "../../workers/orchestrator/src/control-plane/control-shard-do.ts";
import { firstControlShard } from "../../workers/orchestrator/src/control-plane/control-shards.ts";
import type { ExecutionRow, HistoryRows, StepRunRow } from "../../workers/orchestrator/src/history/rows.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start } from "../support/executions.ts";

function executionRow(id: string, changes: Partial<ExecutionRow> = {}): ExecutionRow {
  const now = Date.now();
  return { id, templateId: "t", templateVersion: 1, status: "running", params: { name: "Zoë ✓", n: 1 }, createdBy: "test", createdAt: now, updatedAt: now, ...changes };
}

function stepRow(executionId: string, stepId: string, changes: Partial<StepRunRow> = {}): StepRunRow {
  return { executionId, stepId, type: "agent", agent: "echo", status: "running", ...changes };
}

/** One control shard's history writer, as executions reach it: by handing rows over (no events here). */
function historyWriter() {
  const shard = firstControlShard(env);
  return {
    write: (executionId: string, rows: HistoryRows) => shard.record({ ticket: { executionId, templateId: "t", templateLimit: null, concurrencyKey: null }, events: [], rows }),
    commit: () => shard.commit(),
  };
}

const readExecution = (id: string) => env.DB.prepare("SELECT * FROM executions WHERE id = ?").bind(id).first<Record<string, unknown>>();
const handoversLeft = () =>
  runInDurableObject(firstControlShard(env) as unknown as DurableObjectStub<ControlShardDO>, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM handovers").one().n);

describe("history writer", () => {
  it("writes the rows of many executions at one commit; the newest word on a row wins, its creation facts stay in D1", async () => {
    const writer = historyWriter();
    for (let i = 0; i < 30; i++) await writer.write(`ex-many-${i}`, { execution: executionRow(`ex-many-${i}`, { status: "queued" }), stepRuns: [stepRow(`ex-many-${i}`, "a")] });
    // Handed over twice before a flush, a row is written once, as the newer handover has it.
    await writer.write("ex-many-1", { execution: executionRow("ex-many-1") });
    expect(await writer.commit()).toEqual({ ok: true });
    expect(await readExecution("ex-many-1")).toMatchObject({ status: "running" });

    await writer.write("ex-many-0", {
      execution: executionRow("ex-many-0", { status: "completed", createdBy: "someone else", createdAt: 1, stepsDone: 1, costUsd: 0.25, endedAt: 5 }),
      stepRuns: [stepRow("ex-many-0", "a", { status: "completed", type: "changed", attempts: 2 })],
      usage: [{ executionId: "ex-many-0", stepId: "a", attempt: 2, templateId: "t", agent: "echo", costUsd: 0.25, day: "2026-11-23", createdAt: 5 }],
      audit: [{ at: 5, actor: "test", action: "execution.start", target: "ex-many-0", details: { template: "t" } }],
    });
    expect(await writer.commit()).toEqual({ ok: true });

    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM executions WHERE id LIKE 'ex-many-%'").first<{ n: number }>();
    expect(count?.n).toBe(30);
    const first = await readExecution("ex-many-0");
    expect(first).toMatchObject({ status: "completed", created_by: "test", steps_done: 1, cost_usd: 0.25, ended_at: 5, priority: 0, error: null });
    expect(first?.created_at).not.toBe(1);
    expect(JSON.parse(String(first?.params))).toEqual({ name: "Zoë ✓", n: 1 });
    const step = await env.DB.prepare("SELECT type, status, attempts FROM step_runs WHERE execution_id = 'ex-many-0'").first();
    expect(step).toEqual({ type: "agent", status: "completed", attempts: 2 });
    const usage = await env.DB.prepare("SELECT cost_usd, input_tokens FROM usage WHERE execution_id = 'ex-many-0'").all();
    expect(usage.results).toEqual([{ cost_usd: 0.25, input_tokens: 0 }]);
    const audit = await env.DB.prepare("SELECT details FROM audit_log WHERE target = 'ex-many-0'").first<{ details: string }>();
    expect(JSON.parse(audit!.details)).toEqual({ template: "t" });
    expect(await handoversLeft()).toBe(0);
  });

  it("keeps what it was handed when its instance is lost before writing, and its alarm writes it", async () => {
    await historyWriter().write("ex-kept", { execution: executionRow("ex-kept") });
    await abortAllDurableObjects();
    expect(await readExecution("ex-kept")).toBeNull();
    // Nobody asks the new instance anything: its alarm is what writes the rows the lost one held.
    expect(await runDurableObjectAlarm(firstControlShard(env) as unknown as DurableObjectStub)).toBe(true);
    expect(await readExecution("ex-kept")).toMatchObject({ status: "running" });
    expect(await handoversLeft()).toBe(0);
  });

  it("writes everyone else's rows while D1 refuses one execution's, and gives up on those after a few tries", async () => {
    const writer = historyWriter();
    // A step row without its type breaks a NOT NULL constraint: D1 refuses that execution's batch.
    await writer.write("ex-bad", { execution: executionRow("ex-bad"), stepRuns: [stepRow("ex-bad", "a", { type: null as never })] });
    await writer.write("ex-good", { execution: executionRow("ex-good") });
    expect(await writer.commit()).toMatchObject({ ok: false, error: expect.stringMatching(/NOT NULL constraint failed/) });
    expect(await readExecution("ex-good")).toMatchObject({ status: "running" });
    expect(await readExecution("ex-bad")).toBeNull();

    await writer.write("ex-good", { execution: executionRow("ex-good", { status: "completed" }) });
    expect(await writer.commit()).toMatchObject({ ok: false, error: expect.stringMatching(/NOT NULL constraint failed/) });
    expect(await readExecution("ex-good")).toMatchObject({ status: "completed" });
    expect(await writer.commit()).toMatchObject({ ok: false, error: expect.stringMatching(/NOT NULL constraint failed/) });
    expect(await writer.commit()).toMatchObject({ ok: false, error: expect.stringMatching(/NOT NULL constraint failed/) });
    // The fifth refusal drops the bad rows: nothing is left waiting.
    expect(await writer.commit()).toEqual({ ok: true });
    expect(await readExecution("ex-bad")).toBeNull();
    expect(await handoversLeft()).toBe(0);
  });

  it("shows an execution in the history list and to a bulk stop as soon as its start has answered", async () => {
    await saveTemplate({ id: "slow-one", name: "Slow one", steps: [{ id: "a", agent: "echo", input: { value: 1, delayMs: 2000 } }] });
    const id = await start("slow-one");
    // No flush, no wait: the list commits the writer before it reads D1.
    const listed = await apiJson<{ executions: { id: string; status: string }[] }>("/v1/executions?template=slow-one");
    expect(listed.executions).toEqual([expect.objectContaining({ id, status: "running" })]);
    const stopped = await apiJson<{ affected: string[] }>("/v1/executions/emergency-stop", { body: { reason: "test" } });
    expect(stopped.affected).toContain(id);
  });
});
