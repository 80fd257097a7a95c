/**
 * Faults (issue 8, item 4): executions of three independent steps on the flaky agent, which fails 30 % of
 * its calls at random and overruns its deadline on 10 % more, under a retry policy → every execution
 * ends within the bound: completed (through retries), or failed with a step whose last error is the
 * agent's (`agent_error`) or its deadline's (`timeout`) after its last attempt. None is left running.
 */
import { Api, check, countStatuses, type ExecutionView, type ScenarioResult, waitForEnd } from "./api.ts";
import type { StackHandle } from "./stack.ts";

export interface FaultsOptions {
  executions: number;
  runId: string;
  timeoutMs: number;
}

const RETRY_LIMIT = 3;
const STEP_TIMEOUT_MS = 1_000;
const EXPECTED_CODES = new Set(["agent_error", "timeout"]);

/** What is wrong with an ended execution's steps, if anything. */
function stepProblems(execution: ExecutionView): string[] {
  const problems: string[] = [];
  for (const step of execution.steps) {
    if (execution.status === "completed" && step.status !== "completed") problems.push(`${execution.id}/${step.id}: ${step.status} in a completed execution`);
    if (step.status === "failed") {
      if (!step.error || !EXPECTED_CODES.has(step.error.code)) problems.push(`${execution.id}/${step.id}: failed with ${JSON.stringify(step.error)}`);
      if (step.attempt !== 1 + RETRY_LIMIT) problems.push(`${execution.id}/${step.id}: failed after ${step.attempt} attempts, not ${1 + RETRY_LIMIT}`);
    }
    if (!["completed", "failed", "skipped", "cancelled"].includes(step.status)) problems.push(`${execution.id}/${step.id}: still ${step.status}`);
  }
  if (execution.status === "failed" && !execution.steps.some((step) => step.status === "failed")) problems.push(`${execution.id}: failed with no failed step`);
  return problems;
}

export async function run(handle: StackHandle, options: FaultsOptions): Promise<ScenarioResult> {
  const began = Date.now();
  const api = new Api(handle.current);
  const scope = `faults-${options.runId}`;
  const template = `rel-faults-${options.runId}`;
  const step = (id: string) => ({
    id,
    agent: "flaky",
    input: { scope, seed: scope, failRate: 0.3, hangRate: 0.1 },
    retry: { limit: RETRY_LIMIT, delayMs: 50, backoff: "exponential" },
    timeoutMs: STEP_TIMEOUT_MS,
  });
  await api.putTemplate({ id: template, name: "Reliability: faults", steps: [step("a"), step("b"), step("c")] });
  await api.call("PUT", "/v1/config", { globalConcurrency: 50 });

  const { ids } = await api.startMany(template, options.executions, 50);
  const statuses = await waitForEnd(api, template, ids, options.timeoutMs);
  const endSeconds = (Date.now() - began) / 1000;
  const counts = countStatuses(ids, statuses);
  const problems: string[] = [];
  const codes: Record<string, number> = {};
  let retriedSteps = 0;
  for (const id of ids) {
    const execution = await api.execution(id);
    problems.push(...stepProblems(execution));
    for (const step of execution.steps) {
      if (step.attempt > 1) retriedSteps++;
      if (step.status === "failed" && step.error) codes[step.error.code] = (codes[step.error.code] ?? 0) + 1;
    }
  }
  const ended = (counts.completed ?? 0) + (counts.failed ?? 0);
  const tally = await api.tally(scope, 1 + RETRY_LIMIT);

  return {
    name: "faults",
    seconds: (Date.now() - began) / 1000,
    checks: [
      check("faults: every execution ends, none stuck", ended === options.executions, `${ended}/${options.executions} ended within ${options.timeoutMs / 1000} s (${JSON.stringify(counts)})`),
      check("faults: failures carry the right error", problems.length === 0, problems.length ? problems.slice(0, 10).join("; ") : `failed steps by code: ${JSON.stringify(codes)}`),
      check(`faults: no key called more than 1 + ${RETRY_LIMIT} times`, tally.overCount === 0, `max ${tally.maxPerKey}; histogram ${JSON.stringify(tally.histogram)}`),
    ],
    metrics: { executions: options.executions, statuses: counts, failedStepsByCode: codes, retriedSteps, calls: tally.calls, keys: tally.keys, endSeconds },
  };
}
