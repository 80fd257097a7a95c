/**
 * `npm run bench` (issue 8): Baton against Cloudflare Workflows and against the floor (a bare Durable
 * Object), on one local runtime, with the same no-op agent. bench/README.md says how each figure is
 * measured.
 *
 * It starts a throwaway stack (bench/local-stack.ts: one `wrangler dev` of the bench Worker, the
 * orchestrator and the agents, on a copy of the tree with its own state), then measures:
 * - throughput: N executions x M echo steps at once on each system, started inside the runtime (Baton
 *   over its RPC entrypoint, Workflows with `create`, the floor with an RPC per object), and Baton once
 *   more through its HTTP API; one warm-up round, then R rounds in rotating order; steps/s = N*M / (last
 *   end, server clock - run requested, host clock); the median round counts;
 * - sequential overhead: one execution of S steps, the gaps between consecutive step completions;
 * - start -> first step: start request sent (host) -> first step.started `at` (server), split in phases;
 * - SSE delivery: event `at` -> read by a client following the execution's stream.
 * It prints the machine, the figures, the targets as PASS/MISS, and a last line of JSON. It exits 1 when
 * a run failed or lost executions (a missed target does not fail it), 2 on bad options.
 */
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { BatonClient } from "#shared/client/index.ts";
import { workerConfigs } from "../scripts/worker-configs.ts";
import { BatonWorkload, type ExecutionTimeline, type StartSample } from "./baton-workload.ts";
import { LiveFeed } from "./live-feed.ts";
import { type LocalStack, removeStackFiles, startLocalStack } from "./local-stack.ts";
import { batonRowsPerStep, measureFanOut } from "./engine-figures.ts";
import { describeMachine, type MachineInfo } from "./machine.ts";
import { BenchOptionsError, type BenchOptions, benchUsage, parseBenchOptions } from "./options.ts";
import { cpuReader } from "./stack-processes.ts";
import { formatReport, type Measurements, startPhases, summarize, summaryLine, type System, throughputSystems, type ThroughputSystem } from "./report.ts";
import { distribution, gaps, stepsPerSecond } from "./stats.ts";
import { runYardstick, type Yardstick } from "./yardsticks.ts";
import type { ControlPlane } from "#shared/api/control-plane.ts";
import { capacityModel, type ControlPlaneFigures, controlPlaneFigures, costModel, LONG_STEP_SECONDS, OBJECT_REQUESTS_PER_SECOND, UTILIZATION, WORKFLOWS_LIMITS } from "./scale.ts";
import { type AdmissionFigure, formatScale, type ScaleSummary } from "./scale-report.ts";

/**
 * The Workers of the stack: the bench Worker first, so that it has the port (it passes /v1 on), then the
 * orchestrator and every agent, as `npm start` runs them (left out, an agent's binding would be "not
 * connected" and the orchestrator's registry would hold an agent it cannot reach).
 */
const STACK_CONFIGS = ["bench/worker/wrangler.toml", ...workerConfigs().map((worker) => worker.configPath)];
/** Yielding executions run one after another for the live feed's latency. */
const LIVE_FEED_SAMPLES = 20;

/** A pause after each run, so that its background work (history flushes, releases) is over before the next. */
const SETTLE_MS = 1_000;

const say = (line = "") => console.log(line);

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof BenchOptionsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  say(benchUsage);
  process.exit(0);
}

const machine = describeMachine();
say(`Baton bench: ${options.executions} x ${options.steps} (rounds ${options.rounds}), sequential ${options.sequentialSteps}, ${options.latencySamples} start samples`);
say(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`);
say(`software: node ${machine.node}, wrangler ${machine.wrangler}, workerd ${machine.workerd}, commit ${machine.commit}`);
say(`load average at start: ${machine.loadAverage.join(" ")} (${machine.cores} cores: above that, neighbours share the CPU and the figures are low)`);
say(`starting the local stack (one wrangler dev of ${STACK_CONFIGS.length} Workers: bench, orchestrator, agents) …`);

let stack: LocalStack;
try {
  stack = await startLocalStack({
    configs: STACK_CONFIGS,
    port: options.port,
    healthPaths: ["/bench/health", "/v1/health"],
    ...(options.verbose ? { logLevel: "info", onOutput: (line: string) => console.error(`[wrangler] ${line}`) } : {}),
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
say(`stack up at ${stack.url} (state in ${stack.workDir})`);
// On every way out, errors included; the stack's own exit hook has killed its processes by then.
process.once("exit", () => (options.keepState ? say(`kept the stack's tree and state in ${stack.workDir}`) : removeStackFiles(stack)));

let exitCode = 1;
let failure: unknown;
try {
  exitCode = await bench(stack, options, machine);
} catch (error) {
  failure = error;
}
const restarted = failure !== undefined && stack.restarted();
const stopped = await stack.stop();
if (failure !== undefined) {
  if (stopped.kind === "signal") {
    console.error(`\nbench interrupted (${stopped.signal})`);
  } else {
    console.error(`\nbench failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    if (restarted) {
      console.error("wrangler dev restarted the Workers during the run, as it does when a file it watches changes (a source");
      console.error("file, or a package under node_modules being reinstalled): the run was cut short, not slow. Run it again.");
    }
    if (stopped.kind === "child-exited") console.error(`wrangler dev exited on its own (${stopped.signal ?? `code ${stopped.code}`})`);
    if (!options.verbose) console.error(`wrangler's last lines (--verbose shows all):\n${stack.recentOutput().slice(-40).join("\n")}`);
  }
}
process.exit(exitCode);

async function bench(stack: LocalStack, options: BenchOptions, machine: MachineInfo): Promise<number> {
  const { executions, steps, rounds, sequentialSteps } = options;
  const timeoutMs = options.timeoutSeconds * 1000;
  const client = new BatonClient({ url: stack.url, token: stack.token });
  const feed = await LiveFeed.open(client, stack.signal);
  const baton = new BatonWorkload(client, feed);
  await baton.prepare([steps, sequentialSteps, 1], sequentialSteps, Math.max(executions, 50));
  const cpu = stack.processes ? cpuReader(stack.processes.workerdPids) : undefined;
  const problems: string[] = [];
  const runIds = newRunIds();
  const rowsWritten = { baton: null as number | null, floor: null as number | null };

  const controlPlane = () => client.http.json<ControlPlane>("GET", "/v1/control-plane");
  const controlPlaneRuns: ControlPlaneFigures[] = [];

  /** One throughput run of one system: steps/s, workerd CPU per step, and for Baton its starts (and its control-plane calls). */
  const throughputRun = async (system: ThroughputSystem) => {
    const planeBefore = system === "baton" ? await controlPlane() : undefined;
    const cpuBefore = cpu?.();
    let window: { sentAt: number; completedAt: number };
    let batch: { starts: StartSample[]; liveFeedLatencies: number[]; answeredMs: number } | undefined;
    let cpuAfter: number | undefined;
    let floorStarts: number[] | undefined;
    if (system === "baton" || system === "batonHttp") {
      // The CPU is read as the last execution ends: reading their timelines back afterwards is not the run.
      const result = await baton.runBatch(executions, steps, timeoutMs, system === "baton" ? "runtime" : "http", cpu);
      problems.push(...result.problems);
      window = result;
      cpuAfter = result.atEnd;
      batch = { starts: result.starts, liveFeedLatencies: result.liveFeedLatencies, answeredMs: result.acceptedAt - result.sentAt };
      if (system === "baton") rowsWritten.baton = await batonRowsPerStep(stack.url, stack.token, result.ids, steps);
    } else {
      const result = await runYardstick(stack.url, system, { runId: runIds(system), chains: executions, steps }, timeoutMs, stack.signal);
      problems.push(...result.problems);
      window = result;
      if (system === "floor") {
        rowsWritten.floor = result.chains.reduce((sum, chain) => sum + (chain.rowsWritten ?? 0), 0) / (result.chains.length * steps);
        floorStarts = result.chains.map((chain) => chain.startedAt - result.sentAt);
      }
      cpuAfter = cpu?.();
    }
    const cpuMs = cpuAfter !== undefined && cpuBefore !== undefined ? cpuAfter - cpuBefore : undefined;
    await sleep(SETTLE_MS);
    // Read after the pause: releases and last history handovers go out in the background as executions end.
    if (planeBefore) {
      const planeAfter = await controlPlane();
      controlPlaneRuns.push(controlPlaneFigures(planeBefore, planeAfter, executions, Math.floor(window.sentAt / 1000), Math.ceil(window.completedAt / 1000)));
    }
    const total = executions * steps;
    return {
      stepsPerSecond: stepsPerSecond(total, window.sentAt, window.completedAt),
      cpuMsPerStep: cpuMs === undefined ? null : cpuMs / total,
      batch,
      floorStarts,
    };
  };

  say("warm-up round …");
  for (const system of throughputSystems) await throughputRun(system);
  await sleep(SETTLE_MS);

  const throughput = Object.fromEntries(throughputSystems.map((s) => [s, { stepsPerSecond: [] as number[], cpuMsPerStep: [] as (number | null)[] }])) as Measurements["throughput"];
  const allAtOnce: StartSample[] = [];
  const floorStarts: number[] = [];
  const liveFeed: number[] = [];
  const answered: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = throughputSystems.map((_, i) => throughputSystems[(i + round) % throughputSystems.length]!);
    const line: string[] = [];
    for (const system of order) {
      const run = await throughputRun(system);
      throughput[system].stepsPerSecond.push(run.stepsPerSecond);
      throughput[system].cpuMsPerStep.push(run.cpuMsPerStep);
      if (run.floorStarts) floorStarts.push(...run.floorStarts);
      if (run.batch) {
        allAtOnce.push(...run.batch.starts);
        liveFeed.push(...run.batch.liveFeedLatencies);
        if (system === "batonHttp") answered.push(run.batch.answeredMs);
      }
      line.push(`${system} ${run.stepsPerSecond.toFixed(0)}`);
    }
    say(`round ${round + 1}/${rounds} (steps/s): ${line.join(", ")}`);
  }

  say(`sequential runs of ${sequentialSteps} steps …`);
  const sequential: Record<System, number[]> = { baton: [], workflows: [], floor: [] };
  const call: number[] = [];
  const between: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const one = await baton.runOne(sequentialSteps, timeoutMs);
    problems.push(...one.problems);
    sequential.baton.push(...gaps(one.timeline.stepCompleted));
    call.push(...stepCalls(one.timeline));
    between.push(...stepHandovers(one.timeline));
    await sleep(SETTLE_MS);
    for (const kind of ["floor", "workflows"] satisfies Yardstick[]) {
      const result = await runYardstick(stack.url, kind, { runId: runIds(kind), chains: 1, steps: sequentialSteps }, timeoutMs, stack.signal);
      problems.push(...result.problems);
      for (const chain of result.chains) sequential[kind].push(...gaps(chain.stepTimes));
      await sleep(SETTLE_MS);
    }
  }

  say(`start latency, ${options.latencySamples} starts one at a time …`);
  const oneAtATime = await baton.startOneAtATime(options.latencySamples, timeoutMs);
  problems.push(...oneAtATime.problems);
  say("admission rate inside the runtime …");
  const admission = await measureAdmissionRate(stack.url);
  say("SSE delivery latency …");
  const sse = await baton.sseLatencies(sequentialSteps, timeoutMs, stack.signal);
  problems.push(...sse.problems);
  const feedYielding = await baton.liveFeedLatencies(LIVE_FEED_SAMPLES, timeoutMs);
  problems.push(...feedYielding.problems);
  const fanOutSizes = [1_000, 10_000, 100_000].filter((items) => items <= options.fanOutMax);
  if (fanOutSizes.length > 0) say(`fan-out of ${fanOutSizes.join(", ")} items …`);
  const fanOut = await measureFanOut(client, feed, fanOutSizes, Math.max(timeoutMs, 600_000));
  problems.push(...fanOut.problems);
  feed.close();
  if (stack.restarted()) {
    problems.push("wrangler dev restarted the Workers during the run (it does when a file it watches changes): run it again");
  }

  const summary = summarize({
    workload: { executions, steps, rounds, sequentialSteps, latencySamples: options.latencySamples },
    machine: { ...machine, loadAverageAtEnd: loadavg().map((load) => Math.round(load * 100) / 100) },
    throughput,
    sequentialGaps: { baton: distribution(sequential.baton), workflows: distribution(sequential.workflows), floor: distribution(sequential.floor) },
    batonStep: { callMs: distribution(call), betweenMs: distribution(between) },
    batonStartsAnswered: distribution(answered),
    startLatency: { oneAtATime: startPhases(oneAtATime.starts), allAtOnce: startPhases(allAtOnce) },
    floorStartLatency: distribution(floorStarts),
    sseLatency: distribution(sse.latencies),
    liveFeedLatency: distribution(liveFeed),
    liveFeedYieldingLatency: distribution(feedYielding.latencies),
    rowsWrittenPerStep: rowsWritten,
    fanOut: fanOut.points.map(({ items, itemsPerSecond }) => ({ items, itemsPerSecond })),
    problems,
  });
  const scale = scaleSummary(controlPlaneRuns, admission, {
    steps,
    noOpStepMs: { baton: summary.sequentialGapsMs.baton.mean, floor: summary.sequentialGapsMs.floor.mean },
    workflowsCpuMsPerStep: summary.throughput.workflows.cpuMsPerStep,
    batonSqliteRowsPerStep: rowsWritten.baton,
  });
  say();
  for (const line of formatReport(summary)) say(line);
  say();
  for (const line of formatScale(scale, summary.startLatencyMs.allAtOnce.toQueued.p99, summary.sseLatencyMs, summary.liveFeedYieldingLatencyMs)) say(line);
  say(`load average at end: ${String(summary.machine.loadAverageAtEnd).replaceAll(",", " ")}`);
  say();
  say(summaryLine({ ...summary, ...scale }));
  return summary.ok ? 0 : 1;
}

/** Each step's agent call: started → completed. */
function stepCalls(t: ExecutionTimeline): number[] {
  return t.stepCompleted.map((at, i) => at - t.stepStarted[i]!);
}

/** The engine's turn between steps: a step completed → the next one started. */
function stepHandovers(t: ExecutionTimeline): number[] {
  return t.stepStarted.slice(1).map((at, i) => at - t.stepCompleted[i]!);
}

/** Run ids unique to this bench, so that no two runs share Durable Objects or Workflow instances. */
function newRunIds(): (kind: string) => string {
  const prefix = randomBytes(4).toString("hex");
  let count = 0;
  return (kind) => `${kind}-${prefix}-${++count}`;
}

/** The dispatcher's queue code timed inside the runtime: 2,000 admissions with 10,000 queued. */
async function measureAdmissionRate(url: string): Promise<AdmissionFigure> {
  const response = await fetch(`${url}/bench/admission?queued=10000&admissions=2000`);
  if (!response.ok) throw new Error(`GET /bench/admission answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as AdmissionFigure;
}

/** Issue 19's keys: the medians of the Baton rounds' counted calls, and the models built on them. */
function scaleSummary(
  runs: readonly ControlPlaneFigures[],
  admission: AdmissionFigure,
  measured: { steps: number; noOpStepMs: { baton: number; floor: number }; workflowsCpuMsPerStep: number | null; batonSqliteRowsPerStep: number | null },
): ScaleSummary {
  const mid = [...runs].sort((a, b) => a.callsPerExecution - b.callsPerExecution)[Math.floor(runs.length / 2)];
  if (!mid) throw new Error("no Baton round counted its control-plane calls");
  const busiest = runs.reduce((top, run) => (run.maxCallsPerObjectPerSecond.value > top.maxCallsPerObjectPerSecond.value ? run : top), mid);
  const { shards, value, oneShard } = busiest.maxCallsPerObjectPerSecond;
  return {
    controlPlaneCallsPerExecution: mid.callsPerExecution,
    controlPlaneCallsPerExecutionByRole: mid.callsPerExecutionByRole,
    maxCallsPerObjectPerSecond: { shards, asRun: value, oneShard, busiest: busiest.maxCallsPerObjectPerSecond.busiest },
    capacity: {
      objectRequestsPerSecond: OBJECT_REQUESTS_PER_SECOND,
      utilization: UTILIZATION,
      stepSeconds: LONG_STEP_SECONDS,
      steps: measured.steps,
      // The engine hands a long step's rows over once per step of a second or more: once per 10 s step.
      rows: capacityModel(mid.callsPerExecutionByRole, measured.steps, LONG_STEP_SECONDS),
      workflows: WORKFLOWS_LIMITS,
    },
    costPerMillionSteps: costModel({
      steps: measured.steps,
      controlPlaneCallsPerExecution: mid.callsPerExecution,
      noOpStepMs: measured.noOpStepMs,
      workflowsCpuMsPerStep: measured.workflowsCpuMsPerStep,
      batonSqliteRowsPerStep: measured.batonSqliteRowsPerStep,
    }),
    admission: { queued: admission.queued, admissions: admission.admissions, admissionsPerSecond: admission.admissionsPerSecond },
  };
}
