/**
 * What `npm run bench` concludes and prints: the figures, their ratios, the targets of issue 8 as
 * PASS/MISS lines, and one line of JSON for the README table and the reliability scripts. Pure.
 */
import type { StartSample } from "./baton-workload.ts";
import { type Distribution, distribution, median } from "./stats.ts";

/** What runs the workload: Baton (executions started in the runtime, like the others), and the yardsticks. */
export const systems = ["baton", "workflows", "floor"] as const;
export type System = (typeof systems)[number];
/** The throughput rounds also start Baton's executions over its public HTTP API, as a client does. */
export const throughputSystems = ["baton", "batonHttp", "workflows", "floor"] as const;
export type ThroughputSystem = (typeof throughputSystems)[number];

const labels: Record<ThroughputSystem, string> = { baton: "Baton", batonHttp: "Baton, HTTP", workflows: "Workflows", floor: "floor" };

export interface Throughput {
  /** The median of the rounds. */
  stepsPerSecond: number;
  rounds: number[];
  /** workerd CPU milliseconds per step (median of the rounds); null where it cannot be read. */
  cpuMsPerStep: number | null;
}

export interface Workload {
  executions: number;
  steps: number;
  rounds: number;
  sequentialSteps: number;
  latencySamples: number;
}

/** Starts split in phases (see `StartSample`), each phase's distribution. */
export interface StartPhases {
  total: Distribution;
  toQueued: Distribution;
  toStarted: Distribution;
  toFirstStep: Distribution;
}

export function startPhases(samples: readonly StartSample[]): StartPhases {
  return {
    total: distribution(samples.map((s) => s.total)),
    toQueued: distribution(samples.map((s) => s.toQueued)),
    toStarted: distribution(samples.map((s) => s.toStarted)),
    toFirstStep: distribution(samples.map((s) => s.toFirstStep)),
  };
}

/** What the runs measured, before any conclusion. */
export interface Measurements {
  workload: Workload;
  machine: Record<string, unknown>;
  throughput: Record<ThroughputSystem, { stepsPerSecond: number[]; cpuMsPerStep: (number | null)[] }>;
  /** Gaps between consecutive step completions of the sequential runs, in ms. */
  sequentialGaps: Record<System, Distribution>;
  /** Baton's sequential steps split: step started → completed (the agent call) and completed → next started. */
  batonStep: { callMs: Distribution; betweenMs: Distribution };
  /** Baton's HTTP throughput rounds: first start request sent → last one answered, in ms. */
  batonStartsAnswered: Distribution;
  startLatency: { oneAtATime: StartPhases; allAtOnce: StartPhases };
  /** The floor's throughput rounds: the run requested → each bare object's code running, in ms (what the runtime alone costs a burst). */
  floorStartLatency: Distribution;
  /** Event committed → read by a client following one execution's stream. */
  sseLatency: Distribution;
  /** Execution ended → read from the live feed (`GET /v1/events`), in the throughput rounds. */
  liveFeedLatency: Distribution;
  /** Execution end → read from the live feed, yielding executions one after another. */
  liveFeedYieldingLatency: Distribution;
  /** SQLite rows written per step (issue 17): Baton's execution objects, and the floor's chains. */
  rowsWrittenPerStep: { baton: number | null; floor: number | null };
  /** One forEach at concurrency 50 per size (issue 17). */
  fanOut: { items: number; itemsPerSecond: number }[];
  problems: string[];
}

export interface Verdict {
  name: string;
  target: string;
  actual: number;
  pass: boolean;
}

export interface BenchSummary {
  bench: "baton";
  /** False when any run failed or lost executions: the command then exits non-zero. */
  ok: boolean;
  workload: Workload;
  machine: Record<string, unknown>;
  throughput: Record<ThroughputSystem, Throughput>;
  ratios: {
    batonToWorkflows: number;
    /** The floor against Workflows: how far 3x Workflows is from a bare object's one call and one commit per step. */
    floorToWorkflows: number;
    batonToFloor: number;
    sequentialBatonToFloor: number;
    /** CPU per step of Baton over the yardstick's: steadier than steps/s on a shared machine; null when unread. */
    cpuBatonToWorkflows: number | null;
    cpuBatonToFloor: number | null;
  };
  sequentialGapsMs: Record<System, Distribution>;
  batonStepMs: { call: Distribution; between: Distribution };
  batonStartsAnsweredMs: Distribution;
  startLatencyMs: { oneAtATime: StartPhases; allAtOnce: StartPhases };
  floorStartLatencyMs: Distribution;
  sseLatencyMs: Distribution;
  liveFeedLatencyMs: Distribution;
  liveFeedYieldingLatencyMs: Distribution;
  /** Issue 17's counted figures; JSON keys read by outside tools. */
  rowsWrittenPerStep: { baton: number | null; floor: number | null };
  fanOut: { items: number; itemsPerSecond: number }[];
  targets: Verdict[];
  problems: string[];
}

/** The targets of issue 8. They are reported, not enforced: the engine is still being tuned. */
export const targets = { batonToWorkflows: 3.0, batonToFloor: 0.8, sequentialBatonToFloor: 1.3, rowsWrittenPerStep: 2, fanOutLargestToSmallest: 0.8 } as const;

/** The largest fan-out's items/s over the smallest's: 1 is linear, below 1 each item costs more as the fan-out grows. */
export function fanOutRatio(points: readonly { items: number; itemsPerSecond: number }[]): number | null {
  if (points.length < 2) return null;
  const sorted = [...points].sort((a, b) => a.items - b.items);
  return sorted.at(-1)!.itemsPerSecond / sorted[0]!.itemsPerSecond;
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return known.length === values.length && known.length > 0 ? median(known) : null;
}

function cpuRatio(a: Throughput, b: Throughput): number | null {
  return a.cpuMsPerStep === null || b.cpuMsPerStep === null ? null : a.cpuMsPerStep / b.cpuMsPerStep;
}

export function summarize(m: Measurements): BenchSummary {
  const throughput = Object.fromEntries(
    throughputSystems.map((system) => {
      const t = m.throughput[system];
      return [system, { stepsPerSecond: median(t.stepsPerSecond), rounds: t.stepsPerSecond, cpuMsPerStep: medianOrNull(t.cpuMsPerStep) }];
    }),
  ) as Record<ThroughputSystem, Throughput>;
  const ratios = {
    batonToWorkflows: throughput.baton.stepsPerSecond / throughput.workflows.stepsPerSecond,
    batonToFloor: throughput.baton.stepsPerSecond / throughput.floor.stepsPerSecond,
    floorToWorkflows: throughput.floor.stepsPerSecond / throughput.workflows.stepsPerSecond,
    // The mean, not the p50: gaps are whole milliseconds, and the mean resolves what the median rounds off.
    sequentialBatonToFloor: m.sequentialGaps.baton.mean / m.sequentialGaps.floor.mean,
    cpuBatonToWorkflows: cpuRatio(throughput.baton, throughput.workflows),
    cpuBatonToFloor: cpuRatio(throughput.baton, throughput.floor),
  };
  const verdicts: Verdict[] = [
    { name: "Baton / Workflows steps/s", target: `>= ${targets.batonToWorkflows}x`, actual: ratios.batonToWorkflows, pass: ratios.batonToWorkflows >= targets.batonToWorkflows },
    { name: "Baton / floor steps/s", target: `>= ${targets.batonToFloor}x`, actual: ratios.batonToFloor, pass: ratios.batonToFloor >= targets.batonToFloor },
    {
      name: "sequential per-step overhead, Baton / floor",
      target: `<= ${targets.sequentialBatonToFloor}x`,
      actual: ratios.sequentialBatonToFloor,
      pass: ratios.sequentialBatonToFloor <= targets.sequentialBatonToFloor,
    },
  ];
  const rows = m.rowsWrittenPerStep.baton;
  if (rows !== null) verdicts.push({ name: "SQLite rows written per no-op step, Baton", target: `<= ${targets.rowsWrittenPerStep}`, actual: rows, pass: rows <= targets.rowsWrittenPerStep });
  const fanOut = fanOutRatio(m.fanOut);
  if (fanOut !== null) {
    verdicts.push({ name: "fan-out items/s, largest / smallest", target: `>= ${targets.fanOutLargestToSmallest}x`, actual: fanOut, pass: fanOut >= targets.fanOutLargestToSmallest });
  }
  return {
    bench: "baton",
    ok: m.problems.length === 0,
    workload: m.workload,
    machine: m.machine,
    throughput,
    ratios,
    sequentialGapsMs: m.sequentialGaps,
    batonStepMs: { call: m.batonStep.callMs, between: m.batonStep.betweenMs },
    batonStartsAnsweredMs: m.batonStartsAnswered,
    startLatencyMs: m.startLatency,
    floorStartLatencyMs: m.floorStartLatency,
    sseLatencyMs: m.sseLatency,
    liveFeedLatencyMs: m.liveFeedLatency,
    liveFeedYieldingLatencyMs: m.liveFeedYieldingLatency,
    rowsWrittenPerStep: m.rowsWrittenPerStep,
    fanOut: m.fanOut,
    targets: verdicts,
    problems: m.problems,
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const ms = (value: number) => fixed(value, value >= 100 ? 0 : 1);
const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

const p50p99 = (d: Distribution) => `${padLeft(ms(d.p50), 6)} ${padLeft(ms(d.p99), 6)}`;

function latencyLine(name: string, d: Distribution): string {
  return `  ${pad(name, 40)}${p50p99(d)}   (${d.count} samples)`;
}

function startLine(name: string, p: StartPhases): string {
  return `  ${pad(name, 20)}${p50p99(p.total)}  |${p50p99(p.toQueued)}  |${p50p99(p.toStarted)}  |${p50p99(p.toFirstStep)}   (${p.total.count})`;
}

/** The human report, line by line. */
export function formatReport(s: BenchSummary): string[] {
  const w = s.workload;
  const lines: string[] = [];
  lines.push(`Throughput: ${w.executions} executions x ${w.steps} echo steps at once, median of ${w.rounds} round(s) after a warm-up`);
  lines.push("  (Baton, Workflows, floor: started inside the runtime; Baton, HTTP: one POST /v1/executions each, from the client)");
  lines.push(`  ${pad("", 13)}${padLeft("steps/s", 8)}   ${pad("rounds", 24)}workerd CPU per step`);
  for (const system of throughputSystems) {
    const t = s.throughput[system];
    const rounds = t.rounds.map((r) => fixed(r, 0)).join(" ");
    const cpu = t.cpuMsPerStep === null ? "n/a" : `${fixed(t.cpuMsPerStep, 2)} ms`;
    lines.push(`  ${pad(labels[system], 13)}${padLeft(fixed(t.stepsPerSecond, 0), 8)}   ${pad(`[${rounds}]`, 24)}${cpu}`);
  }
  lines.push(`  Baton / Workflows ${fixed(s.ratios.batonToWorkflows, 2)}x    Baton / floor ${fixed(s.ratios.batonToFloor, 2)}x`);
  lines.push(`  floor / Workflows ${fixed(s.ratios.floorToWorkflows, 2)}x   (the floor does only what every step needs: one agent call, one commit)`);
  if (s.ratios.cpuBatonToWorkflows !== null && s.ratios.cpuBatonToFloor !== null) {
    lines.push(
      `  CPU per step, Baton / Workflows ${fixed(s.ratios.cpuBatonToWorkflows, 2)}x    Baton / floor ${fixed(s.ratios.cpuBatonToFloor, 2)}x` +
        "   (steadier than steps/s when the machine is shared)",
    );
  }
  lines.push("");
  lines.push(`Sequential: one execution of ${w.sequentialSteps} steps, gap between consecutive step completions (ms, server clock)`);
  lines.push(`  ${pad("", 13)}${padLeft("p50", 6)}${padLeft("p99", 7)}${padLeft("mean", 7)}`);
  for (const system of systems) {
    const d = s.sequentialGapsMs[system];
    lines.push(`  ${pad(labels[system], 13)}${padLeft(ms(d.p50), 6)}${padLeft(ms(d.p99), 7)}${padLeft(fixed(d.mean, 2), 7)}`);
  }
  lines.push(
    `  Baton per step: agent call (started -> completed) mean ${fixed(s.batonStepMs.call.mean, 2)} ms, ` +
      `between steps (completed -> next started) mean ${fixed(s.batonStepMs.between.mean, 2)} ms`,
  );
  lines.push(`  Baton / floor (mean gap) ${fixed(s.ratios.sequentialBatonToFloor, 2)}x`);
  lines.push("");
  lines.push("Start -> first step (ms, p50 p99): request sent (host clock) -> events' server times");
  lines.push(`  ${pad("", 20)}${padLeft("total", 13)}  |${padLeft("-> queued", 13)}  |${padLeft("-> started", 13)}  |${padLeft("-> 1st step", 13)}`);
  lines.push(startLine("one at a time", s.startLatencyMs.oneAtATime));
  lines.push(startLine(`${w.executions} at once`, s.startLatencyMs.allAtOnce));
  lines.push(`  (${w.executions} at once over HTTP: the last start request was answered after ${ms(s.batonStartsAnsweredMs.p50)} ms, median round)`);
  lines.push(
    `  floor, ${w.executions} bare objects at once: run requested -> each object's code running p50 ${ms(s.floorStartLatencyMs.p50)}  p99 ${ms(s.floorStartLatencyMs.p99)} ms` +
      " (what the local runtime alone takes to bring up a burst of new objects)",
  );
  lines.push("");
  lines.push(`SSE delivery (ms, p50 p99): event's server time -> read by the client`);
  lines.push(latencyLine("an execution's stream, followed live", s.sseLatencyMs));
  lines.push(latencyLine(`live feed, execution ends, ${w.executions} at once`, s.liveFeedLatencyMs));
  lines.push(latencyLine("live feed, ends of yielding executions, one at a time", s.liveFeedYieldingLatencyMs));
  lines.push("");
  const rows = s.rowsWrittenPerStep;
  lines.push(`SQLite rows written per step: Baton ${rows.baton === null ? "n/a" : fixed(rows.baton, 2)}, floor ${rows.floor === null ? "n/a" : fixed(rows.floor, 2)}`);
  if (s.fanOut.length > 0) {
    lines.push("Fan-out: one forEach of echo steps at concurrency 50");
    for (const point of s.fanOut) lines.push(`  ${padLeft(point.items.toLocaleString("en-US"), 8)} items  ${padLeft(fixed(point.itemsPerSecond, 0), 6)} items/s`);
  }
  lines.push("");
  lines.push("Targets (reported, not enforced)");
  for (const v of s.targets) lines.push(`  ${v.pass ? "PASS" : "MISS"}  ${pad(v.name, 46)}${padLeft(`${fixed(v.actual, 2)}x`, 7)}  (target ${v.target})`);
  if (s.problems.length > 0) {
    lines.push("");
    lines.push(`FAILED: ${s.problems.length} problem(s)`);
    for (const problem of s.problems.slice(0, 20)) lines.push(`  - ${problem}`);
    if (s.problems.length > 20) lines.push(`  … and ${s.problems.length - 20} more`);
  }
  return lines;
}

/** The summary on one line of JSON, numbers to 3 decimals; figures without samples are null. */
export function summaryLine(s: BenchSummary): string {
  return JSON.stringify(s, (_key, value: unknown) => (typeof value === "number" && Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value));
}
