import { describe, expect, it } from "vitest";
import type { ExecutionEvent } from "#shared/execution.ts";
import { buildTrace } from "./trace-builder.ts";

let seq = 0;
const event = (type: string, at: number, data: Record<string, unknown>): ExecutionEvent =>
  ({ seq: ++seq, type, executionId: "ex1", at, data }) as ExecutionEvent;

const execution = { id: "ex1", templateId: "t", templateVersion: 1, createdAt: 1000, costUsd: 0.5, error: null };

describe("buildTrace", () => {
  it("puts the model and token counts an agent reported on its attempt, and its cost on the step too", async () => {
    const spans = await buildTrace({
      execution: { ...execution, status: "completed", endedAt: 2000 },
      traceId: "0".repeat(32),
      needs: new Map(),
      events: [
        event("step.started", 1100, { stepId: "ask", status: "running", attempt: 1, agent: "llm" }),
        event("step.completed", 1500, { stepId: "ask", status: "completed", attempt: 1 }),
        event("usage.updated", 1500, { stepId: "ask", usage: { inputTokens: 12, outputTokens: 34, costUsd: 0.5, model: "gpt-test" }, totalCostUsd: 0.5 }),
        event("execution.completed", 2000, {}),
      ],
    });
    const attempt = spans.find((s) => s.name === "invoke_agent llm")!;
    expect(attempt.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-test",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 34,
      "baton.cost_usd": 0.5,
      "baton.attempt": 1,
      "baton.status": "completed",
    });
    expect(spans.find((s) => s.name === "step ask")!.attributes["baton.cost_usd"]).toBe(0.5);
  });

  it("ends what a cancel abandoned at the execution's end, marked cancelled", async () => {
    const spans = await buildTrace({
      execution: { ...execution, status: "cancelled", endedAt: 3000 },
      traceId: "0".repeat(32),
      needs: new Map(),
      events: [event("step.started", 1100, { stepId: "slow", status: "running", attempt: 1, agent: "echo" }), event("execution.cancelled", 3000, { reason: "stop" })],
    });
    const attempt = spans.find((s) => s.name === "invoke_agent echo")!;
    expect([attempt.endMs, attempt.attributes["baton.status"], attempt.status]).toEqual([3000, "cancelled", "unset"]);
    expect(spans[0]!.status).toBe("unset");
  });
});
