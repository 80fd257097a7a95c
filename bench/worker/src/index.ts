/**
 * The bench Worker's driver surface, called by `bench/run.ts` over loopback only:
 * - `POST /bench/floor`: runs `chains` floor chains at once and answers with their timings when all are done;
 * - `POST /bench/workflows`: creates `chains` Workflow instances at once, waits for all to report to the
 *   run's tally, checks their final statuses, and answers with their timings;
 * - `POST /bench/baton`: starts `executions` Baton executions at once over the `OrchestratorService`
 *   entrypoint and answers with their ids (the caller learns their ends from the live feed);
 * - `POST /bench/costs`: runs one probe of cost-probe-do.ts `times` times in a row (`npm run bench:costs`);
 * - `GET /bench/admission?queued=&admissions=`: times the dispatcher's queue code (admission-rate.ts);
 * - `GET /bench/health`: says that the bench Worker is the one answering.
 * Every other request goes to the orchestrator unchanged: wrangler dev serves only its first Worker on
 * the port, and the Baton API must stay reachable (one service-binding hop, in process).
 */
import { batonService } from "#shared/rpc.ts";
import { measureAdmission } from "./admission-rate.ts";
import { type CostProbe, costProbes } from "./cost-probe-do.ts";
import type { RowsReport, RowsRequest } from "./protocol.ts";
import type { BenchEnv } from "./env.ts";
import type { BatonStartReport, BatonStartRequest, ChainTiming, RunReport, RunRequest } from "./protocol.ts";

export { ChainWorkflow } from "./chain-workflow.ts";
export { CostProbeDO, ProbeTargetDO } from "./cost-probe-do.ts";
export { FloorChainDO } from "./floor-chain-do.ts";
export { TallyDO } from "./tally-do.ts";

const DEFAULT_TIMEOUT_MS = 120_000;
/** After the last report, how long the instances get to show `complete` in their status. */
const SETTLE_TIMEOUT_MS = 10_000;
const terminalStatuses = new Set(["complete", "errored", "terminated"]);

const json = (body: unknown, status = 200) => Response.json(body, { status });

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith("/bench/")) return env.BATON.fetch(request);
    if (request.method === "GET" && pathname === "/bench/health") return json({ worker: "baton-bench" });
    if (request.method === "GET" && pathname === "/bench/admission") {
      const query = new URL(request.url).searchParams;
      const queued = Number(query.get("queued") ?? 10_000);
      const admissions = Number(query.get("admissions") ?? 2_000);
      if (!Number.isInteger(queued) || queued < 1 || queued > 200_000 || !Number.isInteger(admissions) || admissions < 1 || admissions > queued) {
        return json({ error: "queued: 1 to 200000; admissions: 1 to queued" }, 400);
      }
      return json(await measureAdmission(queued, admissions));
    }
    if (request.method === "POST" && (pathname === "/bench/floor" || pathname === "/bench/workflows")) {
      const run = parseRunRequest(await request.json().catch(() => null));
      if (typeof run === "string") return json({ error: run }, 400);
      return json(pathname === "/bench/floor" ? await runFloor(env, run) : await runWorkflows(env, run));
    }
    if (request.method === "POST" && pathname === "/bench/baton") {
      const start = parseBatonStart(await request.json().catch(() => null));
      if (typeof start === "string") return json({ error: start }, 400);
      return json(await startBaton(env, start));
    }
    if (request.method === "POST" && pathname === "/bench/rows") {
      const body = (await request.json().catch(() => null)) as Partial<RowsRequest> | null;
      const ids = Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === "string").slice(0, 10_000) : null;
      if (!ids) return json({ error: "expected a JSON object { ids: string[] }" }, 400);
      return json(await countRows(env, ids));
    }
    if (request.method === "POST" && pathname === "/bench/costs") {
      const probe = parseCostProbe(await request.json().catch(() => null));
      if (typeof probe === "string") return json({ error: probe }, 400);
      const wallMs = await env.COST_PROBE.get(env.COST_PROBE.idFromName(probe.runId)).run(probe.probe, probe.times, probe.runId);
      return json({ wallMs });
    }
    return json({ error: `no route ${request.method} ${pathname}` }, 404);
  },
} satisfies ExportedHandler<BenchEnv>;

const RUN_ID_RULE = "runId: 1 to 80 letters, digits, '-' or '_'";
const isRunId = (value: unknown): value is string => typeof value === "string" && /^[\w-]{1,80}$/.test(value);

function parseRunRequest(body: unknown): RunRequest | string {
  if (typeof body !== "object" || body === null) return "expected a JSON object { runId, chains, steps }";
  const { runId, chains, steps, timeoutMs } = body as Record<string, unknown>;
  if (!isRunId(runId)) return RUN_ID_RULE;
  const count = (value: unknown, max: number) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= max;
  if (!count(chains, 10_000)) return "chains: an integer from 1 to 10000";
  if (!count(steps, 10_000)) return "steps: an integer from 1 to 10000";
  if (timeoutMs !== undefined && !count(timeoutMs, 3_600_000)) return "timeoutMs: an integer from 1 to 3600000";
  return { runId, chains: chains as number, steps: steps as number, timeoutMs: (timeoutMs as number | undefined) ?? DEFAULT_TIMEOUT_MS };
}

function parseCostProbe(body: unknown): { probe: CostProbe; times: number; runId: string } | string {
  if (typeof body !== "object" || body === null) return "expected a JSON object { probe, times, runId }";
  const { probe, times, runId } = body as Record<string, unknown>;
  if (typeof probe !== "string" || !Object.hasOwn(costProbes, probe)) return `probe: one of ${Object.keys(costProbes).join(", ")}`;
  if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 100_000) return "times: an integer from 1 to 100000";
  if (!isRunId(runId)) return RUN_ID_RULE;
  return { probe: probe as CostProbe, times: times as number, runId };
}

function parseBatonStart(body: unknown): BatonStartRequest | string {
  if (typeof body !== "object" || body === null) return "expected a JSON object { template, executions }";
  const { template, executions } = body as Record<string, unknown>;
  if (typeof template !== "string" || template === "") return "template: a template id";
  if (!Number.isInteger(executions) || (executions as number) < 1 || (executions as number) > 10_000) return "executions: an integer from 1 to 10000";
  return { template, executions: executions as number };
}

async function startBaton(env: BenchEnv, start: BatonStartRequest): Promise<BatonStartReport> {
  const baton = batonService(env.BATON_RPC);
  const started = await Promise.all(Array.from({ length: start.executions }, () => baton.startExecution({ template: start.template, params: {} })));
  return { ids: started.map((execution) => execution.id) };
}

const chainIds = (run: RunRequest) => Array.from({ length: run.chains }, (_, i) => `${run.runId}-${i + 1}`);

async function runFloor(env: BenchEnv, run: RunRequest): Promise<RunReport> {
  const chains: ChainTiming[] = await Promise.all(
    chainIds(run).map((id) => env.FLOOR.get(env.FLOOR.idFromName(id)).run(id, run.steps)),
  );
  return { chains };
}

async function runWorkflows(env: BenchEnv, run: RunRequest): Promise<RunReport> {
  const ids = chainIds(run);
  await Promise.all(ids.map((id) => env.CHAIN.create({ id, params: { runId: run.runId, steps: run.steps } })));
  const tally = env.TALLY.get(env.TALLY.idFromName(run.runId));
  const chains = await tally.waitFor(ids.length, run.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return { chains, statuses: await settledStatuses(env, ids) };
}

/** Each instance's status, once all are terminal (or the settle timeout passed), counted by status. */
async function settledStatuses(env: BenchEnv, ids: string[]): Promise<Record<string, number>> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const statuses = await Promise.all(ids.map(async (id) => (await (await env.CHAIN.get(id)).status()).status));
    if (statuses.every((s) => terminalStatuses.has(s)) || Date.now() > deadline) {
      const counts: Record<string, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    }
    await scheduler.wait(100);
  }
}

/** Asks each execution object how many SQLite rows it wrote (ExecutionDO.rowsWritten, counted from each statement's cursor). */
async function countRows(env: BenchEnv, ids: string[]): Promise<RowsReport> {
  type Counter = { rowsWritten(): Promise<number> };
  const counts = await Promise.all(ids.map((id) => (env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)) as unknown as Counter).rowsWritten().catch(() => 0)));
  return { rowsWritten: counts.reduce((a, b) => a + b, 0), counted: counts.filter((c) => c > 0).length };
}
