/**
 * Proves an execution survives losing its Durable Object. An instance aborted mid-step (what a crash or
 * a runtime restart does) resumes: the attempt that was in flight is retried, at least once and with the
 * same idempotency key, and the execution finishes on its own, whether the dispatcher's watch (in its first
 * seconds), its own watchdog alarm (after them) or a request wakes it. An eviction (which workerd only does once in-flight agent calls have drained) between
 * attempts loses nothing either: the alarm starts the pending retry in the new instance. Killing the
 * whole process is left to the reliability scripts against `wrangler dev`.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { controlShardOf } from "../../workers/orchestrator/src/control-plane/control-shards.ts";
import { api } from "../support/api.ts";
import { getExecution, saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventsOfType, readEvents } from "../support/sse.ts";

const stubOf = (id: string) => env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id));
/** The dispatcher shard of an execution of a template without a concurrency limit. */
const dispatcher = (id: string, templateId: string) => controlShardOf(env, { executionId: id, templateId, templateLimit: null, concurrencyKey: null });

describe("durability", () => {
  it("resumes a new execution interrupted by an aborted instance, woken by the dispatcher, then keeps its own alarm", async () => {
    await saveTemplate({
      id: "long",
      name: "Long",
      steps: [
        { id: "before", agent: "echo", input: { value: "a" } },
        { id: "slow", agent: "echo", needs: ["before"], input: { value: "b", delayMs: 1500 } },
        { id: "after", agent: "echo", needs: ["slow"], input: { value: "{{steps.slow.output.value}}" } },
      ],
    });
    const id = await start("long");
    await waitFor(id, (e) => e.steps[1]!.status === "running");
    // Seconds old, it has no alarm of its own yet: the dispatcher's watch covers it.
    expect(await runDurableObjectAlarm(stubOf(id))).toBe(false);
    await abortAllDurableObjects();
    // A dispatcher that starts afresh asks every running execution, which wakes the interrupted one...
    expect(await runDurableObjectAlarm(dispatcher(id, "long"))).toBe(true);
    // ... and hands it its own watchdog alarm.
    expect(await runDurableObjectAlarm(stubOf(id))).toBe(true);

    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[1]).toMatchObject({ status: "completed", attempt: 2 });
    expect(done.output).toEqual({ after: { value: "b", attempt: 1 } });
    const events = await readEvents(await api(`/v1/executions/${id}/events`));
    const retry = eventsOfType(events, "step.retrying")[0];
    expect(retry?.data).toMatchObject({ stepId: "slow", error: { code: "interrupted" } });
    const keys = eventsOfType(events, "step.started")
      .filter((e) => e.data.stepId === "slow")
      .map((e) => e.data.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    // Sequence numbers stay gap-free and unique across the restart.
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  });

  it("sets no alarm when it ends within its first seconds", async () => {
    await saveTemplate({ id: "quick", name: "Quick", steps: [{ id: "a", agent: "echo", input: { value: 1 } }, { id: "b", agent: "echo", needs: ["a"], input: { value: 2 } }] });
    const id = await start("quick");
    expect((await waitFor(id)).status).toBe("completed");
    expect(await runDurableObjectAlarm(stubOf(id))).toBe(false);
  });

  it("resumes at once when a request wakes an aborted execution", async () => {
    await saveTemplate({ id: "long2", name: "Long2", steps: [{ id: "slow", agent: "echo", input: { delayMs: 1500 } }] });
    const id = await start("long2");
    await waitFor(id, (e) => e.steps[0]!.status === "running");
    await abortAllDurableObjects();
    const woken = await getExecution(id);
    expect(woken.steps[0]!.attempt).toBe(2);
    expect((await waitFor(id)).status).toBe("completed");
  });

  it("starts a pending retry after an eviction, from the alarm", async () => {
    await saveTemplate({
      id: "evicted",
      name: "Evicted",
      // The retry waits long enough to be still pending once the eviction is done: an object is evicted
      // only when idle, which can take until its next history flush (up to a second).
      steps: [{ id: "flaky", agent: "echo", input: { value: "ok", fail: { times: 1 } }, retry: { limit: 2, delayMs: 5000, backoff: "constant" } }],
    });
    const id = await start("evicted");
    await waitFor(id, (e) => e.steps[0]!.status === "retrying");
    await evictDurableObject(stubOf(id));
    expect(await runDurableObjectAlarm(stubOf(id))).toBe(true);
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]).toMatchObject({ attempt: 2, output: { value: "ok", attempt: 2 } });
  });
});
