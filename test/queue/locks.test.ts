/**
 * Proves locks: steps that declare the same lock never overlap (or at most `n` for `name:n`), a waiting
 * step shows the lock it waits for, GET /v1/locks shows holders and waiters, a holder that crashed frees
 * the lock when its lease runs out, and an admin can force-release (told plainly when nothing was held).
 * A lock's capacity is its first declaration's, or the config's, never the last template's.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { StepState } from "#shared/execution.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";

const lockStub = (name: string) => env.LOCKS.get(env.LOCKS.idFromName(name));

function peakOverlap(steps: StepState[]): number {
  const points = steps.flatMap((s) => [
    { at: s.startedAt!, d: 1 },
    { at: s.endedAt!, d: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const p of points) peak = Math.max(peak, (now += p.d));
  return peak;
}

describe("locks", () => {
  it("keeps steps holding the same lock apart, and shows who waits for what", async () => {
    await saveTemplate({ id: "printing", name: "Printing", steps: [{ id: "use", agent: "echo", input: { delayMs: 300 }, locks: ["printer"] }] });
    const ids = await Promise.all([start("printing"), start("printing"), start("printing")]);
    const waiting = await waitFor(ids[2]!, (e) => e.steps[0]!.status === "waiting" || e.steps[0]!.status === "completed");
    const states = await Promise.all(ids.map((id) => waitFor(id)));
    expect(states.every((s) => s.status === "completed")).toBe(true);
    // A step's startedAt is when its attempt began running, after it got the lock.
    expect(peakOverlap(states.map((s) => s.steps[0]!))).toBe(1);
    if (waiting.steps[0]!.status === "waiting") expect(waiting.steps[0]!.waitingFor).toContain('lock "printer"');
  });

  it("allows n holders for name:n", async () => {
    await saveTemplate({ id: "rendering", name: "Rendering", steps: [{ id: "use", agent: "echo", input: { delayMs: 300 }, locks: ["gpu:2"] }] });
    const ids = await Promise.all([1, 2, 3, 4].map(() => start("rendering")));
    const states = await Promise.all(ids.map((id) => waitFor(id)));
    expect(peakOverlap(states.map((s) => s.steps[0]!))).toBe(2);
  });

  it("frees a crashed holder's place when its lease runs out", async () => {
    await saveTemplate({ id: "after-crash", name: "After crash", steps: [{ id: "use", agent: "echo", input: { value: "got it" }, locks: ["kiln"] }] });
    await lockStub("kiln").acquire("kiln", { holder: "ghost", executionId: "ex_ghost000000", stepKey: "use#-1", leaseMs: 600 }, 1);
    const id = await start("after-crash");
    const waiting = await waitFor(id, (e) => e.steps[0]!.status === "waiting" && (e.steps[0]!.waitingFor ?? "").includes("held by"));
    expect(waiting.steps[0]!.waitingFor).toContain("ex_ghost000000");
    const { locks } = await apiJson("/v1/locks");
    expect(locks).toContainEqual(
      expect.objectContaining({ name: "kiln", capacity: 1, holders: [expect.objectContaining({ holder: "ghost" })], waiters: [expect.objectContaining({ executionId: id })] }),
    );
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    expect(done.steps[0]!.output).toEqual({ value: "got it", attempt: 1 });
  });

  it("lets an admin force-release a lock", async () => {
    await saveTemplate({ id: "forced", name: "Forced", steps: [{ id: "use", agent: "echo", locks: ["vault"] }] });
    await lockStub("vault").acquire("vault", { holder: "stuck", executionId: "ex_stuck000000", stepKey: "use#-1", leaseMs: 3_600_000 }, 1);
    const id = await start("forced");
    await waitFor(id, (e) => e.steps[0]!.status === "waiting");
    expect(await apiJson("/v1/locks/vault/release", { method: "POST" })).toEqual({
      name: "vault",
      held: true,
      released: ["stuck"],
      dequeued: [],
      message: 'Freed 1 place of lock "vault" (stuck).',
    });
    expect((await waitFor(id)).status).toBe("completed");
  });

  it("says plainly when the named holder held nothing", async () => {
    const answer = await apiJson("/v1/locks/vault/release", { method: "POST", body: { holder: "nobody-here" } });
    expect(answer).toEqual({ name: "vault", held: false, released: [], dequeued: [], message: '"nobody-here" held no place of lock "vault": nothing was freed.' });
  });

  it("keeps the capacity of a lock's first declaration, unless config sets it", async () => {
    const kiln = lockStub("oven");
    const holder = (n: number) => ({ holder: `h${n}`, executionId: `ex_oven00000${n}`, stepKey: "use#-1", leaseMs: 60_000 });
    expect(await kiln.acquire("oven", holder(1), 1)).toMatchObject({ granted: true });
    // A later template says oven:5: the first declaration (1) stands.
    expect(await kiln.acquire("oven", holder(2), 5)).toMatchObject({ granted: false });
    expect((await kiln.snapshot()).capacity).toBe(1);
    await apiJson("/v1/config", { method: "PUT", body: { lockCapacities: { oven: 2 } } });
    try {
      expect(await kiln.acquire("oven", holder(3), 1)).toMatchObject({ granted: false });
      expect((await kiln.snapshot()).capacity).toBe(2);
    } finally {
      await apiJson("/v1/config", { method: "PUT", body: { lockCapacities: {} } });
    }
  });
});
