/**
 * `npm run test:reliability` (issue 8, items 2-4): starts a throwaway local stack (test/reliability/stack.ts)
 * and runs the burst, crash and fault runs on it in turn, then prints a table of the checks, a line
 * `N passed, N failed` and a last line of JSON. Exits 1 when any check failed (a lost, stuck or wrongly
 * failed execution, a step called too often, memory over the bound) or a run broke; 2 on bad options.
 *
 *   node test/reliability/run.ts [--scale small|full] [--only burst,crash,faults] [--verbose] [--keep-state]
 *
 * RELIABILITY_SCALE=small (or --scale small) is the CI size: burst 100, crash 10, faults 30.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { run as burst } from "./burst.ts";
import { run as crash } from "./crash.ts";
import { run as faults } from "./faults.ts";
import { brokenReads, type Check, type ScenarioResult } from "./api.ts";
import { prepareWorkDir, type StackHandle, startReliabilityStack } from "./stack.ts";

const SCALES = {
  small: { burst: 100, crash: 10, faults: 30 },
  full: { burst: 1000, crash: 50, faults: 100 },
} as const;
const SCENARIOS = ["burst", "crash", "faults"] as const;
type Scenario = (typeof SCENARIOS)[number];
/** The whole run's bound: past it the stack is killed and the run fails. */
const RUN_TIMEOUT_MS = 30 * 60 * 1000;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { scale: { type: "string" }, only: { type: "string" }, verbose: { type: "boolean", default: false }, "keep-state": { type: "boolean", default: false } },
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const scaleName = args.scale ?? process.env.RELIABILITY_SCALE ?? "full";
if (!(scaleName in SCALES)) {
  console.error(`unknown scale "${scaleName}": use small or full`);
  process.exit(2);
}
const scale = SCALES[scaleName as keyof typeof SCALES];
const only = (args.only?.split(",") ?? [...SCENARIOS]) as Scenario[];
const unknown = only.filter((name) => !SCENARIOS.includes(name));
if (unknown.length) {
  console.error(`unknown run(s) ${unknown.join(", ")}: choose from ${SCENARIOS.join(", ")}`);
  process.exit(2);
}

const runId = randomBytes(4).toString("hex");
const began = Date.now();
console.log(`Baton reliability (${scaleName}): ${only.map((name) => `${name} ${scale[name]}`).join(", ")}; run ${runId}`);
const workDir = prepareWorkDir();
const cleanUp = () => (args["keep-state"] ? console.log(`kept the stack's tree and state in ${workDir}`) : rmSync(workDir, { recursive: true, force: true }));
process.once("exit", cleanUp);

let handle: StackHandle;
try {
  const first = await startReliabilityStack(workDir, args.verbose);
  handle = {
    current: first,
    async restart() {
      this.current = await startReliabilityStack(workDir, args.verbose);
      return this.current;
    },
  };
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
console.log(`stack up at ${handle.current.url} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
const watchdog = setTimeout(() => {
  console.error(`the run took over ${RUN_TIMEOUT_MS / 60_000} min: stopping`);
  void handle.current.kill().finally(() => process.exit(1));
}, RUN_TIMEOUT_MS);

// The stack's supervisor stops wrangler on these signals; the run then has nothing left to wait for.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    console.error(`\nreliability run interrupted (${signal})`);
    setTimeout(() => process.exit(1), 5_000).unref();
  });
}

const results: ScenarioResult[] = [];
const timeoutFor = (executions: number) => 180_000 + executions * 1_000;
for (const name of only) {
  const executions = scale[name];
  console.log(`\n${name}: ${executions} executions …`);
  let result: ScenarioResult;
  try {
    if (name === "burst") result = await burst(handle, { executions, runId, maxRssMiB: 2048, timeoutMs: timeoutFor(executions) });
    else if (name === "crash") result = await crash(handle, { executions, runId, killAfterMs: 2_500, timeoutMs: timeoutFor(executions) });
    else result = await faults(handle, { executions, runId, timeoutMs: timeoutFor(executions) });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    const message = `${error instanceof Error ? error.message : String(error)}${cause}`;
    result = { name, seconds: 0, checks: [{ name: `${name}: ran to the end`, ok: false, detail: message }], metrics: {} };
    console.error(`wrangler's last lines:\n${handle.current.recentOutput().slice(-30).join("\n")}`);
  }
  if (brokenReads.length) result.metrics.brokenReads = brokenReads.splice(0);
  results.push(result);
  for (const item of result.checks) console.log(`  ${item.ok ? "PASS" : "FAIL"}  ${item.name}: ${item.detail}`);
  console.log(`  ${JSON.stringify(result.metrics)}`);
}
clearTimeout(watchdog);
await handle.current.stop();

const checks: Check[] = results.flatMap((result) => result.checks);
const failed = checks.filter((item) => !item.ok);
const width = Math.max(...checks.map((item) => item.name.length));
console.log("\ncheck".padEnd(width + 1), " result");
for (const item of checks) console.log(`${item.name.padEnd(width)}  ${item.ok ? "PASS" : "FAIL"}`);
const seconds = (Date.now() - began) / 1000;
console.log(`\n${checks.length - failed.length} passed, ${failed.length} failed (${seconds.toFixed(0)} s)`);
console.log(JSON.stringify({ scale: scaleName, seconds, passed: checks.length - failed.length, failed: failed.length, results }));
process.exit(failed.length ? 1 : 0);
