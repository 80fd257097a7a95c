/**
 * A throwaway local Baton for measuring and torture runs (`npm run bench`, the reliability scripts): one
 * `wrangler dev` of the given Worker configs on loopback, with its own state, secrets and dev registry
 * in a temporary directory, so it never touches the user's local data or a running `npm start`.
 *
 * It runs a copy of the source tree taken at start: wrangler dev rebuilds and restarts the Workers when
 * a source file changes, which would break a run in the middle (people edit the tree while a bench
 * runs), and the copy is also where the orchestrator's `.dev.vars` goes (wrangler reads secrets from
 * beside each config; `--env-file` reaches only the first Worker). Starting again on the same `workDir`
 * reuses its tree and its state, which is how a run resumes after the runtime is stopped.
 */
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateLocalD1 } from "../scripts/migrate-local.ts";
import { freePort } from "../scripts/free-port.ts";
import { type StopReason, Supervisor } from "../scripts/supervise.ts";
import { waitForHttp } from "../scripts/wait-for-http.ts";
import { repoRoot } from "../scripts/worker-configs.ts";
import { wranglerBin, wranglerEnv } from "../scripts/wrangler-env.ts";
import { findStackProcesses, type StackProcesses, signalGroup } from "./stack-processes.ts";

/** What the copy of the tree holds: everything the Workers build from (node_modules is linked). */
const TREE_ENTRIES = ["package.json", "tsconfig.json", "wrangler.toml", "workers", "shared", "migrations", "bench/worker"];
const START_TIMEOUT_MS = 120_000;
/**
 * wrangler dev's local trace collector and explorer off. The collector is a Worker in the same process
 * that receives a span of every invocation (each RPC, D1 query, fetch) of every Worker and writes it to
 * SQLite: it took about a third of the runtime's CPU in a Baton run and a share of every other system's.
 * On Cloudflare traces are collected outside the Worker, so the stack measures the runtime without it.
 */
const MEASURED_RUNTIME = { X_LOCAL_OBSERVABILITY: "false", X_LOCAL_EXPLORER: "false" };
const KEPT_OUTPUT_LINES = 200;

export interface StackOptions {
  /** Worker configs, relative to the stack's copy of the tree (laid out as the repository); the first answers on the port. */
  configs: string[];
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Paths that must answer 2xx before the stack counts as up. */
  healthPaths?: string[];
  /** A directory from an earlier start, to run again on its tree and state; default a new one. */
  workDir?: string;
  /** wrangler dev's log level: "warn" (the default) keeps request logging off the measured machine. */
  logLevel?: "debug" | "info" | "log" | "warn" | "error" | "none";
  /** Every line wrangler prints, e.g. to show it; by default lines are only kept for error reports. */
  onOutput?: (line: string) => void;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>`: the first Worker of `configs`. */
  url: string;
  /** The API token of this stack's orchestrator. */
  token: string;
  workDir: string;
  stateDir: string;
  /** Aborted once the stack is stopping, including when wrangler died on its own. */
  signal: AbortSignal;
  /** wrangler's process group and its workerd processes (Linux only; undefined elsewhere). */
  processes: StackProcesses | undefined;
  /** The last lines wrangler printed, for error reports. */
  recentOutput(): string[];
  /** Stops wrangler and workerd; resolves with why the stack stopped. */
  stop(): Promise<StopReason>;
  /** Kills wrangler and workerd at once (SIGKILL), as a crash would; resolves once they are gone. */
  kill(): Promise<StopReason>;
  /**
   * Whether wrangler dev restarted the runtime since the stack came up (it does when a file it watches
   * changes, such as a package in node_modules); false when it cannot tell (not Linux).
   */
  restarted(): boolean;
}

export class StackError extends Error {
  override name = "StackError";
}

function copyTree(treeDir: string): void {
  for (const entry of TREE_ENTRIES) {
    cpSync(join(repoRoot, entry), join(treeDir, entry), {
      recursive: true,
      filter: (source) => !/(^|\/)(\.wrangler|node_modules|\.dev\.vars)$/.test(source),
    });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(treeDir, "node_modules"), "dir");
}

function writeSecrets(treeDir: string): string {
  const token = `bt_bench_${randomBytes(24).toString("base64url")}`;
  const lines = [
    "# Written by bench/local-stack.ts for this throwaway stack only.",
    `API_TOKEN=${token}`,
    "ADMIN_EMAIL=bench@example.com",
    `ADMIN_PASSWORD=${randomBytes(18).toString("base64url")}`,
  ];
  writeFileSync(join(treeDir, ".dev.vars"), `${lines.join("\n")}\n`, { mode: 0o600 });
  return token;
}

function readToken(treeDir: string): string {
  const path = join(treeDir, ".dev.vars");
  const match = existsSync(path) ? /^API_TOKEN=(.*)$/m.exec(readFileSync(path, "utf8")) : null;
  if (!match?.[1]) throw new StackError(`no API_TOKEN in ${path}`);
  return match[1];
}

/**
 * Starts the stack and resolves once every health path answers. On failure it stops what it started and
 * deletes the directory it created (not one it was given), and throws a StackError with wrangler's output.
 */
export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "baton-stack-"));
  try {
    return await start(options, workDir);
  } catch (error) {
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
    throw error instanceof StackError ? error : new StackError(`the local stack did not come up: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function start(options: StackOptions, workDir: string): Promise<LocalStack> {
  const treeDir = join(workDir, "tree");
  const stateDir = join(workDir, "state");
  let token: string;
  if (existsSync(treeDir)) {
    token = readToken(treeDir);
  } else {
    mkdirSync(treeDir, { recursive: true });
    copyTree(treeDir);
    token = writeSecrets(treeDir);
  }
  await migrateLocalD1(stateDir);

  const port = options.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > KEPT_OUTPUT_LINES) output.shift();
    options.onOutput?.(line);
    return undefined;
  };
  const supervisor = new Supervisor();
  supervisor.start({
    name: "stack",
    command: wranglerBin,
    args: [
      "dev",
      ...options.configs.flatMap((config) => ["-c", config]),
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      stateDir,
      "--log-level",
      options.logLevel ?? "warn",
      "--show-interactive-dev-session=false",
    ],
    cwd: treeDir,
    // Its own dev registry: the stack's Workers must not bind to (or stand in for) those of `npm start`.
    env: wranglerEnv({ WRANGLER_REGISTRY_PATH: join(workDir, "registry"), ...MEASURED_RUNTIME }),
    lineFilter: () => keep,
  });

  const stack: LocalStack = {
    url,
    token,
    workDir,
    stateDir,
    signal: supervisor.signal,
    processes: undefined,
    recentOutput: () => [...output],
    async stop() {
      supervisor.stop({ kind: "error", message: "stopped by the caller" });
      return supervisor.done();
    },
    async kill() {
      if (!stack.processes) throw new StackError("the stack's processes are unknown here (Linux only): cannot kill them");
      signalGroup(stack.processes.group, "SIGKILL");
      return supervisor.done();
    },
    restarted() {
      const now = findStackProcesses(stateDir);
      return stack.processes !== undefined && now !== undefined && now.workerdPids.join() !== stack.processes.workerdPids.join();
    },
  };
  // Children run in their own process group, so they would outlive a bench that dies on an uncaught
  // error: whatever is still running when this process exits goes with it.
  const killOnExit = () => {
    if (stack.processes) signalGroup(stack.processes.group, "SIGKILL");
  };
  process.once("exit", killOnExit);
  void supervisor.done().then(() => process.removeListener("exit", killOnExit));
  const deadline = AbortSignal.timeout(START_TIMEOUT_MS);
  try {
    for (const path of options.healthPaths ?? ["/v1/health"]) {
      await waitForHttp(`${url}${path}`, AbortSignal.any([supervisor.signal, deadline]));
    }
  } catch {
    const why = supervisor.signal.aborted ? "wrangler dev stopped" : `nothing answered within ${START_TIMEOUT_MS / 1000} s`;
    await stack.stop();
    throw new StackError(`the local stack did not come up (${why}); wrangler's last lines:\n${output.slice(-40).join("\n")}`);
  }
  stack.processes = findStackProcesses(stateDir);
  return stack;
}

/** Deletes what a stack left on disk (its copy of the tree and its state). */
export function removeStackFiles(stack: Pick<LocalStack, "workDir">): void {
  rmSync(stack.workDir, { recursive: true, force: true });
}
