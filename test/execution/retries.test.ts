/**
 * Proves attempts behave as the step's policy says: failed attempts are retried after the backoff delay,
 * a NonRetryableError fails the step at once, a slow attempt times out and counts as a failure, and every
 * attempt of a step carries the same idempotency key.
 */
import { describe, expect, it } from "vitest";
import { api } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventsOfType, readEvents } from "../support/sse.ts";

async function eventsOf(id: string) {
  return readEvents(await api(`/v1/executions/${id}/events`));
}

describe("retries", () => {
  it("retries a failing step with exponential backoff until it succeeds", async () => {
    await saveTemplate({
      id: "flaky",
      name: "Flaky",
      steps: [{ id: "try", agent: "echo", input: { value: 1, fail: { times: 2 } }, retry: { limit: 3, delayMs: 100, backoff: "exponential" } }],
    });
    const id = await start("flaky");
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ status: "completed", attempt: 3, output: { value: 1, attempt: 3 } });

    const events = await eventsOf(id);
    const started = eventsOfType(events, "step.started");
    const retrying = eventsOfType(events, "step.retrying");
    expect(retrying.map((e) => e.data.delayMs)).toEqual([100, 200]);
    expect(retrying.map((e) => e.data.error.code)).toEqual(["agent_error", "agent_error"]);
    // Each attempt starts no earlier than its backoff allows.
    expect(started[1]!.at - retrying[0]!.at).toBeGreaterThanOrEqual(100);
    expect(started[2]!.at - retrying[1]!.at).toBeGreaterThanOrEqual(200);
    expect(new Set(started.map((e) => e.data.idempotencyKey)).size).toBe(1);
    expect(started.map((e) => e.data.attempt)).toEqual([1, 2, 3]);
  });

  it("fails the execution once the retries run out", async () => {
    await saveTemplate({
      id: "hopeless",
      name: "Hopeless",
      steps: [
        { id: "try", agent: "echo", input: { fail: { times: 10 } }, retry: { limit: 1, delayMs: 10, backoff: "constant" } },
        { id: "never", agent: "echo", needs: ["try"] },
      ],
    });
    const done = await waitFor(await start("hopeless"));
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", attempt: 2 });
    expect(done.steps[1]!.status).toBe("pending");
    expect(done.error?.message).toContain('Step "try" failed');
  });

  it("fails at once on a NonRetryableError, whatever the retry policy", async () => {
    await saveTemplate({
      id: "fatal",
      name: "Fatal",
      steps: [{ id: "try", agent: "echo", input: { fail: { times: 5, retryable: false } }, retry: { limit: 3, delayMs: 10 } }],
    });
    const done = await waitFor(await start("fatal"));
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", attempt: 1, error: { code: "non_retryable" } });
  });

  it("times out a slow attempt and counts it as a failed attempt", async () => {
    await saveTemplate({
      id: "slow",
      name: "Slow",
      steps: [{ id: "wait", agent: "echo", input: { delayMs: 5000 }, timeoutMs: 150, retry: { limit: 1, delayMs: 10, backoff: "constant" } }],
    });
    const started = Date.now();
    const done = await waitFor(await start("slow"));
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", attempt: 2, error: { code: "timeout" } });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
