/**
 * Proves what an execution costs the control plane, counted by the objects themselves (`GET
 * /v1/control-plane`): one call to its control shard when it starts (`begin`, its start coming back in
 * the answer to the shard's `admit`) and one when it ends (`end`), none per step, for a burst of 30
 * executions of 10 steps each under a global limit with room to spare; the lender is not called per
 * execution.
 */
import { describe, expect, it } from "vitest";
import type { ControlPlane } from "#shared/api/control-plane.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const STEPS = 10;
const EXECUTIONS = 30;

const callsByRole = async () => {
  const plane = await apiJson<ControlPlane>("/v1/control-plane");
  const sum = (role: string) => plane.objects.filter((o) => o.role === role).reduce((total, o) => total + o.calls, 0);
  return { shard: sum("shard"), lender: sum("lender") };
};

/** The counts once nothing else calls (an earlier test file's executions may still be handing over). */
async function quietCalls(): Promise<{ shard: number; lender: number }> {
  let last = await callsByRole();
  for (let tries = 0; tries < 30; tries++) {
    await scheduler.wait(500);
    const now = await callsByRole();
    if (now.shard === last.shard && now.lender === last.lender) return now;
    last = now;
  }
  return last;
}

async function burst(): Promise<void> {
  const ids = await Promise.all(Array.from({ length: EXECUTIONS }, () => start("chain")));
  for (const id of ids) expect((await waitFor(id, undefined, 60_000)).status).toBe("completed");
}

describe("calls per execution", () => {
  it("two calls to its control shard per execution, none per step", { timeout: 180_000 }, async () => {
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 1000 } });
    await saveTemplate({
      id: "chain",
      name: "Chain",
      steps: Array.from({ length: STEPS }, (_, i) => ({ id: `s${i + 1}`, agent: "echo", input: { value: i + 1 }, ...(i > 0 ? { needs: [`s${i}`] } : {}) })),
    });
    // The first burst borrows the shards' slots from the lender; the second runs on them.
    await burst();
    const before = await quietCalls();
    await burst();
    // The ends go out as the executions end: counted once they have all arrived.
    const after = await quietCalls();
    expect(after.shard - before.shard).toBe(2 * EXECUTIONS);
    // The second burst runs on the slots the first one borrowed. The lender is called per block of slots,
    // not per execution: at most once per shard here (a shard of an earlier test file in this runtime
    // may hand back slots it kept spare meanwhile; the counts are per object name, which they share).
    expect(after.lender - before.lender).toBeLessThanOrEqual(4);
    await apiJson("/v1/config", { method: "PUT", body: { globalConcurrency: 50 } });
  });
});
