/**
 * The processes of a local stack, found in /proc (Linux; elsewhere nothing is found and callers do
 * without): the process group of its `wrangler dev` (to kill the whole runtime at once, as a crash
 * would, or when the bench itself dies), and the CPU time of its workerd processes (on a shared machine
 * steps per second swing with the neighbours' load, while CPU milliseconds per step say what the work
 * itself costs).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

interface ProcessInfo {
  pid: number;
  ppid: number;
  group: number;
  cpuTicks: number;
  command: string;
}

export interface StackProcesses {
  /** The process group of wrangler and everything it started. */
  group: number;
  workerdPids: number[];
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields that matter come after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return { pid, ppid: Number(fields[1]), group: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]), command };
  } catch {
    return undefined;
  }
}

/** The stack whose wrangler command line contains `marker` (e.g. its state directory), if found. */
export function findStackProcesses(marker: string): StackProcesses | undefined {
  let all: ProcessInfo[];
  try {
    all = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .flatMap((name) => readProcess(Number(name)) ?? []);
  } catch {
    return undefined;
  }
  const roots = all.filter((p) => p.command.includes(marker) && !p.command.includes("workerd"));
  const leader = roots.find((p) => p.group === p.pid) ?? roots[0];
  if (!leader) return undefined;
  const workerdPids = all.filter((p) => p.group === leader.group && /(^|\/)workerd /.test(p.command)).map((p) => p.pid);
  return { group: leader.group, workerdPids };
}

function ticksPerSecond(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8", timeout: 5_000 }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** A reader of the CPU milliseconds the given processes have used so far (gone ones count 0). */
export function cpuReader(pids: readonly number[]): () => number {
  const msPerTick = 1000 / ticksPerSecond();
  return () => pids.reduce((sum, pid) => sum + (readProcess(pid)?.cpuTicks ?? 0), 0) * msPerTick;
}

/** Sends `signal` to every process of the group; a group already gone is fine. */
export function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}
