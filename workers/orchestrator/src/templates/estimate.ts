/**
 * What a run of a template is likely to cost and take, from its history: percentiles over its recent
 * completed executions, and per step over their step runs. With no history it says so instead of
 * guessing.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { TemplateEstimate } from "#shared/api/templates.ts";
import { canonicalJson } from "#shared/canonical-json.ts";
import type { Database } from "../db/client.ts";
import { executions, stepRuns } from "../db/schema.ts";

const SAMPLE = 200;

export type Spread = TemplateEstimate["durationMs"] & {};

/** The value below which `q` (0..1) of the sorted values fall, by linear interpolation. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

/** Runs with the same values for the params asked about, when there are enough of them to go by. */
const ENOUGH_SIMILAR_RUNS = 3;

export async function estimateTemplate(db: Database, templateId: string, params: Record<string, unknown> = {}): Promise<TemplateEstimate> {
  const all = await db
    .select({ id: executions.id, params: executions.params, costUsd: executions.costUsd, startedAt: executions.startedAt, endedAt: executions.endedAt })
    .from(executions)
    .where(and(eq(executions.templateId, templateId), eq(executions.status, "completed")))
    .orderBy(desc(executions.createdAt))
    .limit(SAMPLE);
  if (all.length === 0) {
    return { templateId, basedOn: 0, note: "No completed runs of this template yet: nothing to estimate from.", costUsd: null, durationMs: null, steps: [] };
  }
  const asked = Object.entries(params);
  const similar = all.filter((run) => asked.every(([key, value]) => canonicalJson(run.params[key]) === canonicalJson(value)));
  const useSimilar = asked.length > 0 && similar.length >= ENOUGH_SIMILAR_RUNS;
  const runs = useSimilar ? similar : all;
  const notes: string[] = [];
  if (asked.length > 0) notes.push(useSimilar ? `Based on the ${runs.length} runs with these params.` : `Too few runs with these params (${similar.length}); based on all ${runs.length} runs.`);
  if (runs.length < 5) notes.push(`Only ${runs.length} completed run(s): expect it to move.`);
  const steps = new Map<string, { cost: number[]; duration: number[] }>();
  for (let i = 0; i < runs.length; i += 90) {
    const rows = await db
      .select({ stepId: stepRuns.stepId, costUsd: stepRuns.costUsd, durationMs: stepRuns.durationMs })
      .from(stepRuns)
      .where(and(inArray(stepRuns.executionId, runs.slice(i, i + 90).map((r) => r.id)), eq(stepRuns.status, "completed")));
    for (const row of rows) {
      const entry = steps.get(row.stepId) ?? { cost: [], duration: [] };
      entry.cost.push(row.costUsd);
      entry.duration.push(row.durationMs ?? 0);
      steps.set(row.stepId, entry);
    }
  }
  return {
    templateId,
    basedOn: runs.length,
    note: notes.length > 0 ? notes.join(" ") : null,
    costUsd: spread(runs.map((r) => r.costUsd)),
    durationMs: spread(runs.map((r) => (r.endedAt ?? 0) - (r.startedAt ?? 0))),
    steps: [...steps.entries()].map(([stepId, v]) => ({ stepId, basedOn: v.cost.length, costUsd: spread(v.cost), durationMs: spread(v.duration) })),
  };
}
