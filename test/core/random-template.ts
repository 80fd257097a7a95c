/**
 * Seeded random pipelines for the simulator: DAGs of agent steps (with retries, timeouts, locks,
 * forEach and `when` conditions, fallbacks and `onError: "continue"`), approvals (some with timeouts) and child pipelines, with params that
 * feed the fan-outs and conditions, and sometimes a budget.
 */
import type { Step, Template } from "#shared/template.ts";

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const chance = (random: Random, p: number): boolean => random() < p;

export interface RandomRun {
  template: Template;
  params: Record<string, unknown>;
  budgetUsd: number | null;
}

export function randomRun(random: Random): RandomRun {
  const count = 1 + Math.floor(random() * 6);
  const steps: Step[] = [];
  for (let i = 0; i < count; i++) {
    const earlier = steps.map((s) => s.id);
    const needs = earlier.filter(() => chance(random, 0.45)).slice(0, 2);
    const id = `s${i}`;
    const kind = random();
    const when = chance(random, 0.15) ? { when: { value: "{{params.flag}}", equals: true } } : {};
    if (kind < 0.12) {
      steps.push({
        id,
        type: "approval",
        needs,
        message: `Approve ${id}?`,
        ...(chance(random, 0.5) ? { timeoutMs: 1000 + Math.floor(random() * 5000) } : {}),
        onTimeout: pick(random, ["approve", "reject"] as const),
        ...when,
      } as Step);
    } else if (kind < 0.22) {
      steps.push({ id, type: "pipeline", needs, template: "child", params: { from: id }, ...when } as Step);
    } else {
      const need = needs.length > 0 ? steps.find((s) => s.id === needs[0]) : undefined;
      // A step after one that may fail and be continued past sometimes reads its error instead of its output.
      const readsError = need?.type === "agent" && need.onError === "continue" && chance(random, 0.5);
      const input = need ? { from: `{{steps.${need.id}.${readsError ? "error" : "output"}}}` } : { value: id };
      steps.push({
        id,
        type: "agent",
        agent: "echo",
        needs,
        input: chance(random, 0.25) ? { item: "{{item}}", index: "{{index}}" } : input,
        retry: { limit: Math.floor(random() * 4), delayMs: pick(random, [0, 100, 1000]), backoff: "constant", jitter: false },
        ...(chance(random, 0.4) ? { timeoutMs: 500 + Math.floor(random() * 4000) } : {}),
        ...(chance(random, 0.2) ? { locks: chance(random, 0.5) ? ["alpha"] : ["alpha", "beta"] } : {}),
        ...(chance(random, 0.25) ? { fallback: chance(random, 0.5) ? { agent: "backup" } : { agent: "backup", input: { fallbackFor: id } } } : {}),
        ...(chance(random, 0.25) ? { onError: "continue" } : {}),
        ...when,
      } as Step);
      const step = steps[steps.length - 1] as Step & { input: Record<string, unknown> };
      if ("item" in step.input) (step as unknown as { forEach: unknown }).forEach = { items: "{{params.items}}", concurrency: 1 + Math.floor(random() * 4) };
    }
  }
  const items = Array.from({ length: Math.floor(random() * 7) }, (_, i) => ({ n: i }));
  return {
    template: { id: "sim", name: "Simulated", steps } as Template,
    params: { items, flag: chance(random, 0.6) },
    budgetUsd: chance(random, 0.3) ? 0.05 + random() * 0.3 : null,
  };
}
