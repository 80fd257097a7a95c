/**
 * `npm start`: the whole of Baton on this machine. Writes missing local secrets, migrates the local D1,
 * runs the orchestrator with every sample agent in one `wrangler dev` and the console in `wrangler pages
 * dev`, seeds the sample templates through the API, prints how to use it, then fires the crons every
 * minute as Cloudflare would. Ctrl-C stops it all.
 */
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readCrons, runCronTicker } from "./cron-ticker.ts";
import { devRegistryPath, isRegistered } from "./dev-registry.ts";
import { ensureDevVars, ensureLlmStandIn } from "./dev-vars.ts";
import { isPortFree } from "./free-port.ts";
import { migrateLocalD1 } from "./migrate-local.ts";
import { readyBanner } from "./ready-banner.ts";
import { seedSampleTemplates } from "./seed-templates.ts";
import { OptionsError, parseStartOptions, startUsage } from "./start-options.ts";
import { prefixed, type StopReason, Supervisor } from "./supervise.ts";
import { waitForHttp } from "./wait-for-http.ts";
import { repoRoot, workerConfigs } from "./worker-configs.ts";
import { wranglerLineFilter } from "./wrangler-output.ts";
import { wranglerBin, wranglerEnv } from "./wrangler-env.ts";

const startedAt = performance.now();
const say = (line: string): void => console.log(prefixed("baton", line));
const fail = (message: string): never => {
  console.error(prefixed("baton", message));
  process.exit(1);
};

let options;
try {
  options = parseStartOptions(process.argv.slice(2), process.env);
} catch (error) {
  if (error instanceof OptionsError) fail(error.message);
  throw error;
}
if (options.help) {
  console.log(startUsage);
  process.exit(0);
}
const { apiPort, consolePort, stateDir, privateRegistry, cronEveryMs } = options;
const apiUrl = `http://localhost:${apiPort}`;
const consoleUrl = `http://localhost:${consolePort}`;

const { secrets, created } = ensureDevVars();
if (created.length > 0) say(`wrote ${created.join(", ")} to .dev.vars`);
const llm = ensureLlmStandIn();
if (llm.written) say("wrote LLM_STAND_IN=1 to workers/agents/llm/.dev.vars");
if (llm.llm === "stand-in") {
  say("llm agent: the offline stand-in answers (marked [stand-in]); set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL in workers/agents/llm/.dev.vars for a real model");
}

for (const [port, what, override] of [
  [apiPort, "API", "--api-port or BATON_API_PORT"],
  [consolePort, "console", "--console-port or BATON_CONSOLE_PORT"],
] as const) {
  if (!(await isPortFree(port))) {
    fail(`port ${port} (the ${what}) is in use; is Baton already running? Stop it, or choose another with ${override}.`);
  }
}

if (!privateRegistry && isRegistered(devRegistryPath(process.env), "orchestrator")) {
  fail(
    `another Baton (a Worker named "orchestrator") is running in wrangler's dev registry (${devRegistryPath(process.env)}). ` +
      "Stop it, or start this one beside it with --private-registry (see npm start -- --help).",
  );
}

try {
  const applied = await migrateLocalD1(stateDir);
  say(applied.length > 0 ? `applied D1 migrations: ${applied.join(", ")}` : "D1 is up to date");
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const supervisor = new Supervisor();
const workers = workerConfigs();
const agents = workers.slice(1).map((w) => w.label);
say(`starting the orchestrator with ${agents.length} agents (${agents.join(", ")}) and the console`);
const devFlags = [
  ...["--ip", "127.0.0.1", "--persist-to", stateDir, "--show-interactive-dev-session=false"],
  // Left to itself, each wrangler probes for a free inspector port from 9229; two starting together
  // both find 9229 free and the second dies with "Address already in use". 0 lets the kernel choose.
  ...["--inspector-port", "0"],
];
// The console, and any Worker of the user's run with plain `wrangler dev`, find the orchestrator through
// wrangler's dev registry, by Worker name: the default registry, unless this stack must stay apart from
// another Baton on the same machine (WRANGLER_REGISTRY_PATH, set by the caller, is wrangler's own).
const devEnv = wranglerEnv(privateRegistry ? { WRANGLER_REGISTRY_PATH: join(stateDir, "dev-registry") } : {});
supervisor.start({
  name: "api",
  command: wranglerBin,
  // Agents and webhook receivers on this machine are the point of a local run: loopback is allowed.
  args: ["dev", ...workers.flatMap((w) => ["-c", w.configPath]), "--port", String(apiPort), "--var", "OUTBOUND_POLICY:local", ...devFlags],
  cwd: repoRoot,
  env: devEnv,
  lineFilter: wranglerLineFilter,
});

// Both at once: a Pages Function's service binding finds the orchestrator through the local dev
// registry whenever it registers (checked with a named entrypoint, the console first).
supervisor.start({
  name: "console",
  command: wranglerBin,
  args: ["pages", "dev", "--port", String(consolePort), ...devFlags],
  cwd: join(repoRoot, "pages"),
  env: devEnv,
  lineFilter: wranglerLineFilter,
});

const slowHint = setTimeout(
  () => say(`still waiting for ${apiUrl}/v1/health; if the build failed, fix the error above and save`),
  30_000,
);
try {
  await waitForHttp(`http://127.0.0.1:${apiPort}/v1/health`, supervisor.signal);
  clearTimeout(slowHint);
  const [seeded] = await Promise.all([
    seedSampleTemplates(`http://127.0.0.1:${apiPort}`, secrets.API_TOKEN, supervisor.signal),
    waitForHttp(`http://127.0.0.1:${consolePort}/`, supervisor.signal, true),
  ]);
  for (const result of seeded) {
    if (result.outcome === "created") say(`seeded template "${result.id}" from ${result.file}`);
    if (result.outcome === "failed") say(`could not seed ${result.file}: ${result.detail ?? "unknown error"}`);
  }
  const existing = seeded.filter((r) => r.outcome === "exists").length;
  if (existing > 0) say(`${existing} sample template(s) were there already; left as they are`);
  // Wrangler logs requests a moment after answering them: let the seeding's lines land above the banner.
  await sleep(150, undefined, { signal: supervisor.signal });
  console.log(
    readyBanner({
      apiUrl,
      consoleUrl,
      secrets,
      exampleTemplate: seeded.find((r) => r.outcome !== "failed")?.id,
      seconds: (performance.now() - startedAt) / 1000,
      cronEveryMs,
      privateRegistry,
    }),
  );
  if (cronEveryMs > 0) {
    void runCronTicker({
      url: `http://127.0.0.1:${apiPort}`,
      crons: readCrons(join(repoRoot, workers[0]!.configPath)),
      everyMs: cronEveryMs,
      signal: supervisor.signal,
      onFailure: (message) => say(message),
    });
  }
} catch (error) {
  clearTimeout(slowHint);
  // Stopping aborts the waits above; that is not an error of its own.
  if (!supervisor.signal.aborted) {
    supervisor.stop({ kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
}

const reason = await supervisor.done();
process.exit(reportStop(reason));

/** Says why everything stopped; returns the exit code. */
function reportStop(stop: StopReason): number {
  switch (stop.kind) {
    case "signal":
      say("stopped");
      return 0;
    case "child-exited":
      console.error(
        prefixed("baton", `${stop.name} exited on its own (${stop.signal ?? `code ${stop.code}`}); stopped everything else. See its output above.`),
      );
      return 1;
    case "error":
      console.error(prefixed("baton", `${stop.message}; stopped everything.`));
      return 1;
  }
}
