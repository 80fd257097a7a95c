/**
 * Burst (issue 8, item 2): `executions` two-step executions on the flaky agent started at once under a
 * global limit of 50 → all complete; no idempotency key was called more than 1 + the retry limit times
 * (the agent's own counts); the workerd processes' resident memory stays under a bound while it runs.
 */
import { Api, check, countStatuses, latencySummary, type ScenarioResult, waitForEnd } from "./api.ts";
import { rssMiB } from "./stack.ts";
import type { StackHandle } from "./stack.ts";

export interface BurstOptions {
  executions: number;
  runId: string;
  /** The bound on the workerd processes' peak resident memory, MiB. */
  maxRssMiB: number;
  timeoutMs: number;
}

const RETRY_LIMIT = 4;
const GLOBAL_CONCURRENCY = 50;

export async function run(handle: StackHandle, options: BurstOptions): Promise<ScenarioResult> {
  const began = Date.now();
  const stack = handle.current;
  const api = new Api(stack);
  const scope = `burst-${options.runId}`;
  const template = `rel-burst-${options.runId}`;
  const step = (id: string) => ({
    id,
    agent: "flaky",
    // A few failures, so that retries happen; at 5 % and 5 attempts a step fails for good once in 3 million.
    input: { scope, failRate: 0.05, seed: scope },
    retry: { limit: RETRY_LIMIT, delayMs: 20, backoff: "constant" },
    timeoutMs: 30_000,
  });
  await api.putTemplate({ id: template, name: "Reliability: burst", steps: [step("a"), { ...step("b"), needs: ["a"] }] });
  await api.call("PUT", "/v1/config", { globalConcurrency: GLOBAL_CONCURRENCY });

  const pids = stack.processes?.workerdPids ?? [];
  const rssStart = rssMiB(pids);
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pids))), 250);
  let ids: string[];
  let startLatencies: number[];
  let statuses: Map<string, string>;
  let submitSeconds: number;
  let endSeconds: number;
  try {
    const t0 = Date.now();
    ({ ids, latencies: startLatencies } = await api.startMany(template, options.executions));
    submitSeconds = (Date.now() - t0) / 1000;
    statuses = await waitForEnd(api, template, ids, options.timeoutMs);
    endSeconds = (Date.now() - t0) / 1000;
  } finally {
    clearInterval(sampler);
  }
  const rssEnd = rssMiB(pids);
  const counts = countStatuses(ids, statuses);
  const tally = await api.tally(scope, 1 + RETRY_LIMIT);
  const steps = options.executions * 2;

  return {
    name: "burst",
    seconds: (Date.now() - began) / 1000,
    checks: [
      check("burst: all executions complete", counts.completed === options.executions, `${counts.completed ?? 0}/${options.executions} completed (${JSON.stringify(counts)})`),
      check("burst: every step called", tally.keys === steps, `${tally.keys} idempotency keys seen, ${steps} steps`),
      check(
        `burst: no key called more than 1 + ${RETRY_LIMIT} times`,
        tally.overCount === 0,
        `max ${tally.maxPerKey} calls per key; histogram ${JSON.stringify(tally.histogram)}${tally.overCount ? `; over: ${JSON.stringify(tally.over)}` : ""}`,
      ),
      check(
        "burst: workerd memory bounded",
        pids.length > 0 && rssPeak <= options.maxRssMiB,
        pids.length ? `peak ${rssPeak.toFixed(0)} MiB (start ${rssStart.toFixed(0)}, end ${rssEnd.toFixed(0)}; bound ${options.maxRssMiB})` : "no workerd process found to sample",
      ),
    ],
    metrics: { executions: options.executions, submitSeconds, startRequestMs: latencySummary(startLatencies), endSeconds, executionsPerSecond: +(options.executions / endSeconds).toFixed(1), rssStartMiB: Math.round(rssStart), rssPeakMiB: Math.round(rssPeak), rssEndMiB: Math.round(rssEnd), calls: tally.calls, keys: tally.keys, maxCallsPerKey: tally.maxPerKey },
  };
}
