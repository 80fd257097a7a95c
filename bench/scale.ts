/**
 * Issue 19's figures, pure: the calls each control-plane object received during a run (counted by the
 * objects themselves, `GET /v1/control-plane`), and the capacity and cost models built on them.
 * docs/scale.md explains the models; bench/README.md cites the price and limit pages.
 */
import type { ControlPlane, ControlPlaneRole } from "#shared/api/control-plane.ts";

/** Cloudflare: one Durable Object serves "about 1,000 requests per second" (soft limit, Durable Objects limits page). */
export const OBJECT_REQUESTS_PER_SECOND = 1000;
/** The models' ceiling: the busiest object at half of that. */
export const UTILIZATION = 0.5;
/** Workflows' published limits (Workers Paid, Workflows limits page). */
export const WORKFLOWS_LIMITS = { creationsPerSecondPerAccount: 300, creationsPerSecondPerWorkflow: 100, concurrentInstancesPerAccount: 50_000 } as const;
/** The shard counts the capacity model is printed for. */
export const MODEL_SHARDS = [1, 4, 16, 64] as const;
/** The long-step workload of the models: executions of this many steps of STEP_SECONDS each. */
export const LONG_STEP_SECONDS = 10;

export type CallsByRole = Record<ControlPlaneRole, number>;
const roles: ControlPlaneRole[] = ["shard", "lender", "rate"];
const zero = (): CallsByRole => ({ shard: 0, lender: 0, rate: 0 });

export interface ControlPlaneFigures {
  /** Calls into control shards (dispatcher, history writer and live feed in one), the lender and rate limiters per execution, and by role. */
  callsPerExecution: number;
  callsPerExecutionByRole: CallsByRole;
  /** The busiest single object's calls in its busiest second, as run (`shards`), and with one control shard. */
  maxCallsPerObjectPerSecond: { shards: number; value: number; busiest: string; oneShard: number };
}

/** What changed between two readings of `GET /v1/control-plane` taken around a run of `executions`. */
export function controlPlaneFigures(before: ControlPlane, after: ControlPlane, executions: number, fromSecond: number, toSecond: number): ControlPlaneFigures {
  const byRole = zero();
  const seconds = new Map<string, Map<number, number>>();
  let busiest = { name: "", calls: 0 };
  for (const object of after.objects) {
    const earlier = before.objects.find((o) => o.name === object.name && o.role === object.role);
    // A restarted object counts from zero: its whole count is the run's.
    const calls = earlier && earlier.countingSince === object.countingSince ? object.calls - earlier.calls : object.calls;
    byRole[object.role] += calls;
    const perRole = seconds.get(object.role) ?? new Map<number, number>();
    seconds.set(object.role, perRole);
    for (const { second, calls: n } of object.perSecond) {
      if (second < fromSecond || second > toSecond) continue;
      perRole.set(second, (perRole.get(second) ?? 0) + n);
      if (n > busiest.calls) busiest = { name: `${object.role} ${object.name}`, calls: n };
    }
  }
  let oneShard = 0;
  for (const perRole of seconds.values()) for (const n of perRole.values()) oneShard = Math.max(oneShard, n);
  const perExecution = Object.fromEntries(roles.map((role) => [role, byRole[role] / executions])) as CallsByRole;
  return {
    callsPerExecution: roles.reduce((sum, role) => sum + perExecution[role], 0),
    callsPerExecutionByRole: perExecution,
    maxCallsPerObjectPerSecond: { shards: after.shards.control, value: busiest.calls, busiest: busiest.name, oneShard },
  };
}

export interface CapacityRow {
  shards: number;
  /** Sustained starts per second at which the busiest object reaches UTILIZATION of its capacity. */
  startsPerSecond: number;
  /** Concurrent executions of `steps` LONG_STEP_SECONDS steps at which it does. */
  concurrentExecutions: number;
  /** The role whose object is busiest first. */
  bottleneck: ControlPlaneRole;
}

/**
 * Control shards share the calls evenly (they are hashed); the lender is one object. While executions run
 * long steps, each hands its history over once per `historyHandoverSeconds`.
 */
export function capacityModel(perExecution: CallsByRole, steps: number, historyHandoverSeconds: number): CapacityRow[] {
  const budget = OBJECT_REQUESTS_PER_SECOND * UTILIZATION;
  const lasting = steps * LONG_STEP_SECONDS;
  return MODEL_SHARDS.map((shards) => {
    let startsPerSecond = Number.POSITIVE_INFINITY;
    let concurrentExecutions = Number.POSITIVE_INFINITY;
    let bottleneck: ControlPlaneRole = "shard";
    for (const role of roles) {
      // Rate-limit objects are one per key: they bound one key's starts, not everyone's.
      if (role === "rate") continue;
      const objects = role === "lender" ? 1 : shards;
      const starts = perExecution[role] > 0 ? (budget * objects) / perExecution[role] : Number.POSITIVE_INFINITY;
      const perRunningPerSecond = perExecution[role] / lasting + (role === "shard" ? 1 / historyHandoverSeconds : 0);
      const concurrent = perRunningPerSecond > 0 ? (budget * objects) / perRunningPerSecond : Number.POSITIVE_INFINITY;
      if (starts < startsPerSecond) {
        startsPerSecond = starts;
        bottleneck = role;
      }
      concurrentExecutions = Math.min(concurrentExecutions, concurrent);
    }
    return { shards, startsPerSecond, concurrentExecutions, bottleneck };
  });
}

/** List prices (Workers Paid, USD): the pages are cited in bench/README.md. */
export const PRICES = {
  doRequestPerMillion: 0.15,
  doGbSecondPerMillion: 12.5,
  /** A Durable Object is billed for 128 MB while it runs. */
  doGb: 0.128,
  sqliteRowWrittenPerMillion: 1.0,
  d1RowWrittenPerMillion: 1.0,
  workerRequestPerMillion: 0.3,
  workerCpuMsPerMillion: 0.02,
} as const;

/** What one execution of `steps` steps costs a system, in billable units. */
export interface ExecutionUsage {
  doRequests: number;
  /** Seconds some Durable Object of the execution is billed for (wall time while it is active). */
  doActiveSeconds: number;
  sqliteRowsWritten: number;
  d1RowsWritten: number;
  workerRequests: number;
  workerCpuMs: number;
}

export function costPerMillionSteps(usage: ExecutionUsage, steps: number): number {
  const perExecution =
    (usage.doRequests * PRICES.doRequestPerMillion +
      usage.doActiveSeconds * PRICES.doGb * PRICES.doGbSecondPerMillion +
      usage.sqliteRowsWritten * PRICES.sqliteRowWrittenPerMillion +
      usage.d1RowsWritten * PRICES.d1RowWrittenPerMillion +
      usage.workerRequests * PRICES.workerRequestPerMillion +
      usage.workerCpuMs * PRICES.workerCpuMsPerMillion) /
    1e6;
  return (perExecution / steps) * 1e6;
}

/**
 * Rows each system writes besides what the bench counts (the agent's own invocations cost all three the
 * same and are left out). Baton's execution object's rows are counted (`rowsWrittenPerStep`, every row its
 * SQLite took, per step); its control shard writes, per execution, the queued and running rows (in and
 * out), each of its three handovers (start, admitted, end) stored and deleted, and three feed events. D1:
 * the summary row per handover and one row per step. When the count is missing, the engine's own figure
 * from docs/engine.md (1.2 per step) stands in.
 */
export const ROWS = {
  baton: { sqlitePerStepIfUncounted: 1.2, controlShardSqlitePerExecution: 4 + 6 + 3, d1PerStep: 1, d1PerExecution: 3 },
  floor: { sqlitePerStep: 1, sqlitePerExecution: 1 },
} as const;

export interface CostInputs {
  steps: number;
  /** Counted: control-plane calls per execution (every one a billed Durable Object request). */
  controlPlaneCallsPerExecution: number;
  /** Measured: wall time per no-op step, Baton and the floor (sequential mean gaps), ms. */
  noOpStepMs: { baton: number; floor: number };
  /** Measured: workerd CPU per step of Workflows under load, ms (Workflows bills CPU, not wall time). */
  workflowsCpuMsPerStep: number | null;
  /** Counted: SQLite rows Baton's execution object wrote per step. */
  batonSqliteRowsPerStep?: number | null;
}

export type CostTable = Record<"noOpSteps" | "tenSecondSteps", { baton: number; floor: number; workflows: number | null; batonToFloor: number; batonToWorkflows: number | null }>;

export function costModel(c: CostInputs): CostTable {
  const table = (stepSeconds: (system: "baton" | "floor") => number) => {
    const baton = costPerMillionSteps(
      {
        // Its own object's creation, the control plane, and the dispatcher's call back when it is admitted later.
        doRequests: 1 + c.controlPlaneCallsPerExecution,
        doActiveSeconds: c.steps * stepSeconds("baton"),
        sqliteRowsWritten: c.steps * (c.batonSqliteRowsPerStep ?? ROWS.baton.sqlitePerStepIfUncounted) + ROWS.baton.controlShardSqlitePerExecution,
        d1RowsWritten: c.steps * ROWS.baton.d1PerStep + ROWS.baton.d1PerExecution,
        workerRequests: 0,
        workerCpuMs: 0,
      },
      c.steps,
    );
    const floor = costPerMillionSteps(
      { doRequests: 1, doActiveSeconds: c.steps * stepSeconds("floor"), sqliteRowsWritten: c.steps * ROWS.floor.sqlitePerStep + ROWS.floor.sqlitePerExecution, d1RowsWritten: 0, workerRequests: 0, workerCpuMs: 0 },
      c.steps,
    );
    const workflows =
      c.workflowsCpuMsPerStep === null
        ? null
        : costPerMillionSteps({ doRequests: 0, doActiveSeconds: 0, sqliteRowsWritten: 0, d1RowsWritten: 0, workerRequests: 1, workerCpuMs: c.steps * c.workflowsCpuMsPerStep }, c.steps);
    return { baton, floor, workflows, batonToFloor: baton / floor, batonToWorkflows: workflows === null ? null : baton / workflows };
  };
  return {
    noOpSteps: table((system) => c.noOpStepMs[system] / 1000),
    tenSecondSteps: table(() => LONG_STEP_SECONDS),
  };
}
