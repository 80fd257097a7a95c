/**
 * Proves the dispatcher's own recovery: a place whose release never arrived (the execution ended, the
 * message was lost) is freed by the alarm's sweep once D1 says the execution ended, and a dispatcher
 * that starts afresh asks every execution it holds as running, which does nothing to one that ended.
 */
import { env } from "cloudflare:workers";
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { QueueSnapshot } from "#shared/api/resources.ts";
import { controlShardNamed, controlShardNames } from "../../workers/orchestrator/src/control-plane/control-shards.ts";
import { apiJson } from "../support/api.ts";
import { getExecution, saveTemplate, start, waitFor } from "../support/executions.ts";

/** One of the shards: the test plants a lost release in it. */
const dispatcher = () => controlShardNamed(env, controlShardNames(env).at(-1)!);

async function runningAfterSweep(): Promise<QueueSnapshot["running"]> {
  for (let tries = 0; ; tries++) {
    const { running } = (await apiJson("/v1/queue")) as QueueSnapshot;
    if (running.length === 0 || tries === 50) return running;
    await scheduler.wait(100);
  }
}

describe("dispatcher recovery", () => {
  it("frees the place of an ended execution whose release was lost", async () => {
    await saveTemplate({ id: "ended", name: "Ended", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    const id = await start("ended");
    expect((await waitFor(id)).status).toBe("completed");
    await env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)).commitHistory();

    // The release is lost: the dispatcher still holds the execution as running, admitted two minutes ago.
    await runInDurableObject(dispatcher(), (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO running (execution_id, template_id, template_limit, concurrency_key, admitted_at, notified) VALUES (?, ?, NULL, NULL, ?, 1)",
        id,
        "ended",
        Date.now() - 120_000,
      );
    });
    await abortAllDurableObjects();
    const before = (await apiJson("/v1/queue")) as QueueSnapshot;
    expect(before.running.map((r) => r.executionId)).toEqual([id]);

    // The fresh instance sets its alarm for now, so it may have fired already.
    await runDurableObjectAlarm(dispatcher());
    expect(await runningAfterSweep()).toEqual([]);
    // Asked on the way (the fresh dispatcher asks every running execution), the ended one stayed as it was.
    expect((await getExecution(id)).status).toBe("completed");
  });
});
