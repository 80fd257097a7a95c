/**
 * The two yardsticks Baton is measured against, run by the bench Worker (bench/worker/) in the same
 * runtime: Cloudflare Workflows and the floor (a bare Durable Object). One request runs a whole
 * workload; the answer carries every chain's server-side timings.
 */
import type { ChainTiming, RunReport, RunRequest } from "./worker/src/protocol.ts";

export type Yardstick = "workflows" | "floor";

export interface YardstickResult {
  /** Host time just before the run was requested. */
  sentAt: number;
  /** Server time of the last chain's end. */
  completedAt: number;
  chains: ChainTiming[];
  /** What went wrong: chains missing or short of steps, instances that did not complete. */
  problems: string[];
}

/** How long the HTTP answer may take beyond the run's own timeout (status checks, a slow machine). */
const ANSWER_GRACE_MS = 20_000;

export async function runYardstick(
  baseUrl: string,
  kind: Yardstick,
  request: Omit<RunRequest, "timeoutMs">,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<YardstickResult> {
  const sentAt = Date.now();
  const response = await fetch(`${baseUrl}/bench/${kind}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...request, timeoutMs } satisfies RunRequest),
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs + ANSWER_GRACE_MS)]),
  });
  if (!response.ok) throw new Error(`POST /bench/${kind} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  const report = (await response.json()) as RunReport;
  const problems: string[] = [];
  if (report.chains.length !== request.chains) {
    problems.push(`${kind}: ${report.chains.length} of ${request.chains} chains finished within ${timeoutMs / 1000} s`);
  }
  for (const chain of report.chains) {
    if (chain.stepTimes.length !== request.steps) problems.push(`${kind}: chain ${chain.id} ran ${chain.stepTimes.length} of ${request.steps} steps`);
  }
  if (report.statuses && report.statuses.complete !== request.chains) {
    problems.push(`${kind}: instance statuses ${JSON.stringify(report.statuses)}, expected ${request.chains} complete`);
  }
  const completedAt = Math.max(sentAt, ...report.chains.map((chain) => chain.completedAt));
  return { sentAt, completedAt, chains: report.chains, problems };
}
