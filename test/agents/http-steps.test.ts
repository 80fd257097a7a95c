/**
 * Proves steps run on HTTP agents like on bound ones: `POST {url}/run` with the task as JSON (no
 * callbacks), retried under the step's policy with one idempotency key, usage charged; a
 * NonRetryableError fails at once; a redirect is not followed (requests go only to registered URLs); an
 * answer too large to keep fails the step.
 * Also proves the agents' schemas are enforced for both kinds: input that breaks the input schema fails
 * the step before any call, naming the field, and output that breaks the output schema fails it after.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

interface SeenRun {
  host: string;
  idempotencyKey: string | null;
  task: Record<string, unknown>;
}

async function runsSeen(executionId: string): Promise<SeenRun[]> {
  const seen = (await (await fetch("http://echo.agents.test/_seen")).json()) as SeenRun[];
  return seen.filter((run) => run.task.executionId === executionId);
}

async function runOne(agent: string, input: unknown, extra: Record<string, unknown> = {}) {
  const id = `one-${agent}-${crypto.randomUUID().slice(0, 8)}`;
  await saveTemplate({ id, name: id, steps: [{ id: "only", agent, input, ...extra }] });
  const done = await waitFor(await start(id));
  return { id: done.id, status: done.status, step: done.steps[0]! };
}

beforeAll(async () => {
  await apiJson("/v1/agents", { body: { name: "remote-echo", url: "http://echo.agents.test" }, expect: 201 });
  await apiJson("/v1/agents", { body: { name: "liar", url: "http://liar.agents.test" }, expect: 201 });
  await apiJson("/v1/agents", { body: { name: "moved", url: "http://moved.agents.test" }, expect: 201 });
  await apiJson("/v1/agents", { body: { name: "huge", url: "http://huge.agents.test" }, expect: 201 });
});

describe("steps on HTTP agents", () => {
  it("runs a step over POST /run after a bound step, retrying with one idempotency key", async () => {
    await saveTemplate({
      id: "mixed",
      name: "Bound then HTTP",
      steps: [
        { id: "local", agent: "echo", input: { value: "hello" } },
        {
          id: "remote",
          agent: "remote-echo",
          needs: ["local"],
          input: { value: "{{steps.local.output.value}} from afar", fail: { times: 1 }, costUsd: 0.25 },
          retry: { limit: 2, delayMs: 10, backoff: "constant" },
        },
      ],
    });
    const done = await waitFor(await start("mixed"));
    expect(done.status).toBe("completed");
    expect(done.steps[1]).toMatchObject({ status: "completed", attempt: 2, output: { value: "hello from afar", attempt: 2 } });
    expect(done.costUsd).toBe(0.25);

    const runs = await runsSeen(done.id);
    expect(runs.map((r) => r.task.attempt)).toEqual([1, 2]);
    const key = `${done.id}:remote`;
    for (const run of runs) {
      expect(run).toMatchObject({ host: "echo.agents.test", idempotencyKey: key, task: { executionId: done.id, stepId: "remote", idempotencyKey: key } });
      expect(run.task.deadline).toEqual(expect.any(Number));
      expect(run.task).not.toHaveProperty("progress");
      expect(run.task).not.toHaveProperty("log");
    }
  });

  it("fails at once when the HTTP agent throws a NonRetryableError", async () => {
    const { status, step } = await runOne("remote-echo", { fail: { times: 1, retryable: false } }, { retry: { limit: 3, delayMs: 10 } });
    expect(status).toBe("failed");
    expect(step).toMatchObject({ status: "failed", attempt: 1, error: { code: "non_retryable", message: expect.stringContaining("fails as asked") } });
  });

  it("does not follow a redirect away from the registered URL", async () => {
    const { id, step } = await runOne("moved", { value: 1 }, { retry: { limit: 3, delayMs: 10 } });
    expect(step).toMatchObject({ status: "failed", attempt: 1, error: { code: "agent_redirected" } });
    expect(step.error!.message).toContain("http://echo.agents.test/run");
    expect(await runsSeen(id)).toEqual([]);
  });

  it("refuses an answer too large to keep as a step's output, without retrying", async () => {
    const { step } = await runOne("huge", {}, { retry: { limit: 3, delayMs: 10 } });
    expect(step).toMatchObject({ status: "failed", attempt: 1, error: { code: "result_too_large" } });
  });
});

describe("schemas", () => {
  const image = { id: "img-001", seed: "00c0ffee", prompt: "ink", width: 512, height: 512, svg: "<svg/>" };

  it("refuses input that breaks a bound agent's input schema before calling it, naming the field", async () => {
    const { status, step } = await runOne("retoucher", { images: [image, { ...image, svg: "png" }] }, { retry: { limit: 3, delayMs: 10 } });
    expect(status).toBe("failed");
    expect(step).toMatchObject({ status: "failed", attempt: 0, error: { code: "invalid_input" } });
    expect(step.error!.message).toContain('agent "retoucher"');
    expect(step.error!.message).toContain("input.images.1.svg: must match the pattern ^<svg\\b");
  });

  it("refuses input that breaks an HTTP agent's input schema without a request", async () => {
    const { id, step } = await runOne("remote-echo", { progress: -1, delayMs: "soon" });
    expect(step).toMatchObject({ status: "failed", attempt: 0, error: { code: "invalid_input" } });
    expect(step.error!.message).toContain("input.progress: must be at least 0 (got -1)");
    expect(step.error!.message).toContain("input.delayMs: must be an integer (got a string)");
    expect(await runsSeen(id)).toEqual([]);
  });

  it("fails a step whose output breaks the agent's output schema, without retrying", async () => {
    const { step } = await runOne("liar", { value: 42 }, { retry: { limit: 3, delayMs: 10 } });
    expect(step).toMatchObject({ status: "failed", attempt: 1, error: { code: "invalid_output" } });
    expect(step.error!.message).toContain("output.value: must be a string (got the integer 42)");
    const fine = await runOne("liar", { value: "text" });
    expect(fine.step).toMatchObject({ status: "completed", output: { value: "text", attempt: 1 } });
  });
});
