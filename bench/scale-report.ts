/** Issue 19's part of the bench report: the summary keys and the human lines for them. Pure. */
import type { Distribution } from "./stats.ts";
import { type CapacityRow, type ControlPlaneFigures, type CostTable, LONG_STEP_SECONDS, OBJECT_REQUESTS_PER_SECOND, UTILIZATION, WORKFLOWS_LIMITS } from "./scale.ts";

export interface AdmissionFigure {
  queued: number;
  admissions: number;
  admissionsPerSecond: number;
}

export interface ScaleSummary {
  controlPlaneCallsPerExecution: number;
  controlPlaneCallsPerExecutionByRole: ControlPlaneFigures["callsPerExecutionByRole"];
  /** The busiest object's busiest second: as run with `shards` shards, and with one object per role (the same calls summed per role and second). */
  maxCallsPerObjectPerSecond: { shards: number; asRun: number; oneShard: number; busiest: string };
  capacity: { objectRequestsPerSecond: number; utilization: number; stepSeconds: number; steps: number; rows: CapacityRow[]; workflows: typeof WORKFLOWS_LIMITS };
  costPerMillionSteps: CostTable;
  admission: AdmissionFigure;
}

export const scaleTargets = { callsPerExecution: 2, startsPerSecond: 1000, concurrentExecutions: 100_000, toQueuedP99: 100, admissionsPerSecond: 2000, sseP99: 15, liveFeedP99: 50, costToFloor: 1.5 } as const;

const f = (value: number | null, digits = 0) => (value === null || !Number.isFinite(value) ? "n/a" : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");

export function formatScale(s: ScaleSummary, toQueuedP99: number, sse: Distribution, liveFeed: Distribution): string[] {
  const lines: string[] = [];
  const roles = Object.entries(s.controlPlaneCallsPerExecutionByRole).filter(([, n]) => n > 0).map(([role, n]) => `${role} ${f(n, 2)}`).join(", ");
  lines.push("Scale (issue 19)");
  lines.push(`  control-plane calls per execution ${f(s.controlPlaneCallsPerExecution, 2)} (${roles})`);
  const busiest = s.maxCallsPerObjectPerSecond;
  lines.push(`  busiest object, calls in its busiest second: ${busiest.shards} shards ${f(busiest.asRun)} (${busiest.busiest}), 1 shard ${f(busiest.oneShard)} (the same calls summed per role)`);
  lines.push(`  admission inside the runtime, ${f(s.admission.queued)} queued: ${f(s.admission.admissionsPerSecond)} per second`);
  lines.push(
    `  capacity model: busiest object at ${UTILIZATION * 100} % of ${OBJECT_REQUESTS_PER_SECOND} calls/s; concurrent executions of ${s.capacity.steps} steps of ${LONG_STEP_SECONDS} s`,
  );
  for (const row of s.capacity.rows) {
    lines.push(`    ${String(row.shards).padStart(2)} shard(s): ${f(row.startsPerSecond).padStart(8)} starts/s, ${f(row.concurrentExecutions).padStart(9)} concurrent (first to fill: ${row.bottleneck})`);
  }
  lines.push(`    Workflows (published): ${WORKFLOWS_LIMITS.creationsPerSecondPerAccount} creations/s per account (${WORKFLOWS_LIMITS.creationsPerSecondPerWorkflow} per workflow), ${f(WORKFLOWS_LIMITS.concurrentInstancesPerAccount)} concurrent instances`);
  lines.push("  cost per million steps (USD, list prices; model in docs/scale.md)");
  for (const [name, row] of Object.entries(s.costPerMillionSteps)) {
    lines.push(
      `    ${name.padEnd(15)} Baton ${f(row.baton, 2).padStart(7)}  floor ${f(row.floor, 2).padStart(7)}  Workflows ${f(row.workflows, 2).padStart(7)}   Baton/floor ${f(row.batonToFloor, 2)}x  Baton/Workflows ${f(row.batonToWorkflows, 2)}x`,
    );
  }
  // The fewest shards that carry both targets, else the most the model tries.
  const best =
    s.capacity.rows.find((r) => r.startsPerSecond >= scaleTargets.startsPerSecond && r.concurrentExecutions >= scaleTargets.concurrentExecutions) ?? s.capacity.rows.at(-1)!;
  lines.push("  Targets (reported, not enforced)");
  lines.push(`    ${verdict(s.controlPlaneCallsPerExecution <= scaleTargets.callsPerExecution)}  control-plane calls per execution ${f(s.controlPlaneCallsPerExecution, 2)} (target <= ${scaleTargets.callsPerExecution})`);
  lines.push(`    ${verdict(toQueuedP99 <= scaleTargets.toQueuedP99)}  start -> queued p99, all at once ${f(toQueuedP99)} ms (target <= ${scaleTargets.toQueuedP99})`);
  lines.push(`    ${verdict(s.admission.admissionsPerSecond >= scaleTargets.admissionsPerSecond)}  admissions/s with ${f(s.admission.queued)} queued ${f(s.admission.admissionsPerSecond)} (target >= ${scaleTargets.admissionsPerSecond})`);
  lines.push(`    ${verdict(best.startsPerSecond >= scaleTargets.startsPerSecond)}  modelled starts/s at ${best.shards} shards ${f(best.startsPerSecond)} (target >= ${scaleTargets.startsPerSecond})`);
  lines.push(`    ${verdict(best.concurrentExecutions >= scaleTargets.concurrentExecutions)}  modelled concurrent executions at ${best.shards} shards ${f(best.concurrentExecutions)} (target >= ${f(scaleTargets.concurrentExecutions)})`);
  lines.push(`    ${verdict(sse.p99 <= scaleTargets.sseP99)}  execution stream p99 ${f(sse.p99, 1)} ms (target <= ${scaleTargets.sseP99})`);
  lines.push(`    ${verdict(liveFeed.p99 <= scaleTargets.liveFeedP99)}  live feed p99, yielding executions ${f(liveFeed.p99, 1)} ms (target <= ${scaleTargets.liveFeedP99})`);
  lines.push(`    ${verdict(s.costPerMillionSteps.noOpSteps.batonToFloor <= scaleTargets.costToFloor)}  cost Baton / floor, no-op steps ${f(s.costPerMillionSteps.noOpSteps.batonToFloor, 2)}x (target <= ${scaleTargets.costToFloor}x)`);
  return lines;
}
