/**
 * Builds what a deploy uploads, without an account: each Worker with `wrangler deploy --dry-run` (which
 * bundles it and checks its config), the console's SPA with vite and its Pages Functions with `wrangler
 * pages functions build`. Shared by `npm run check` and `npm run deploy -- --dry-run`.
 */
import { join } from "node:path";
import { runCommand } from "../run-command.ts";
import { repoRoot, type WorkerConfig } from "../worker-configs.ts";
import { wranglerBin, wranglerEnv } from "../wrangler-env.ts";

export type BuildFailure = { what: string; output: string };
export type BuildTask = () => Promise<BuildFailure | undefined>;

/** Two at a time: wrangler is mostly one busy core each, and CI machines here have two. */
const parallelism = 2;

async function timed(what: string, run: () => Promise<{ code: number; output: string }>): Promise<BuildFailure | undefined> {
  const started = performance.now();
  const { code, output } = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (code === 0) {
    console.log(`  ok    ${what} (${seconds} s)`);
    return undefined;
  }
  console.log(`  FAIL  ${what}`);
  return { what, output };
}

export function workerBundle(worker: WorkerConfig, outRoot: string): BuildTask {
  return () =>
    timed(`${worker.label} (wrangler deploy --dry-run)`, () =>
      runCommand(wranglerBin, ["deploy", "--dry-run", "--config", worker.configPath, "--outdir", join(outRoot, worker.label)], {
        cwd: repoRoot,
        env: wranglerEnv(),
      }),
    );
}

/** The console's SPA into pages/dist, as `npm run build:console` builds it. */
export function consoleBuild(): BuildTask {
  return () =>
    timed("console (vite build)", () =>
      runCommand(join(repoRoot, "node_modules/.bin/vite"), ["build", "--config", "pages/vite.config.ts", "--logLevel", "warn"], { cwd: repoRoot }),
    );
}

export function consoleFunctionsBundle(outRoot: string): BuildTask {
  return () =>
    timed("console Functions (wrangler pages functions build)", () =>
      runCommand(wranglerBin, ["pages", "functions", "build", "--outdir", join(outRoot, "console-functions")], {
        cwd: join(repoRoot, "pages"),
        env: wranglerEnv(),
      }),
    );
}

/** Runs the tasks, `parallelism` at a time; returns every failure. */
export async function runBuilds(tasks: BuildTask[]): Promise<BuildFailure[]> {
  const queue = [...tasks];
  const failures: BuildFailure[] = [];
  const lane = async (): Promise<void> => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      const failure = await task();
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, lane));
  return failures;
}
