/** The machine a bench ran on, printed with its numbers: figures mean little without it. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../scripts/worker-configs.ts";

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  wrangler: string;
  /** The workerd package wrangler runs (its version is the runtime's compatibility date). */
  workerd: string;
  /** The commit the copied tree came from; "+dirty" when it had uncommitted changes. */
  commit: string;
  /** 1, 5 and 15 minute load averages when the bench began: above the core count means a busy machine. */
  loadAverage: number[];
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The workerd that wrangler's own miniflare resolves, which may differ from a top-level one. */
function workerdVersion(): string {
  try {
    const fromWrangler = createRequire(join(repoRoot, "node_modules/wrangler/package.json"));
    const fromMiniflare = createRequire(fromWrangler.resolve("miniflare/package.json"));
    return packageVersion(fromMiniflare.resolve("workerd/package.json"));
  } catch {
    return "unknown";
  }
}

function gitCommit(): string {
  try {
    const run = (...args: string[]) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", timeout: 10_000 }).trim();
    return `${run("rev-parse", "--short", "HEAD")}${run("status", "--porcelain") ? "+dirty" : ""}`;
  } catch {
    return "unknown";
  }
}

export function describeMachine(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    wrangler: packageVersion(join(repoRoot, "node_modules/wrangler/package.json")),
    workerd: workerdVersion(),
    commit: gitCommit(),
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
