/**
 * `npm run bench:compare -- [REF] [--rounds R] [--batches K] [--executions N] [--steps M]`: is the
 * working tree (uncommitted changes included) cheaper than REF (default HEAD)? Two stacks of the same
 * build differ by up to 30 % on a shared machine, so one run of each proves nothing: this runs the
 * Baton workload of `npm run bench:profile` (no profiler) on both builds, R rounds, alternating which
 * goes first, each run on a stack of its own, and sets the medians side by side. REF is checked out
 * into a temporary git worktree (removed after) that borrows this tree's node_modules.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type Batch, batchesIn, compare, medians } from "./comparison.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: "string", default: "3" },
    batches: { type: "string", default: "5" },
    executions: { type: "string", default: "50" },
    steps: { type: "string", default: "20" },
  },
});
const ref = positionals[0] ?? "HEAD";
for (const name of ["rounds", "batches", "executions", "steps"] as const) {
  if (!/^[1-9]\d*$/.test(args[name])) {
    console.error(`bench:compare: --${name} must be a whole number above 0, not "${args[name]}"`);
    process.exit(2);
  }
}
const root = resolve(import.meta.dirname, "..");
const profileArgs = ["bench/profile.ts", "--workers", "", "--batches", args.batches, "--executions", args.executions, "--steps", args.steps];

const git = (...gitArgs: string[]) => execFileSync("git", gitArgs, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
let commit: string;
try {
  commit = git("rev-parse", "--short", "--verify", `${ref}^{commit}`).trim();
} catch {
  console.error(`bench:compare: "${ref}" names no commit of this repository (try HEAD, HEAD~1, a branch or a hash)`);
  process.exit(2);
}
const label = `${ref} (${commit})`;
const baseDir = mkdtempSync(join(tmpdir(), "baton-compare-"));

try {
  git("worktree", "add", "--detach", "--force", baseDir, ref);
  symlinkSync(join(root, "node_modules"), join(baseDir, "node_modules"));
  console.log(`${args.executions} x ${args.steps}, ${args.batches} batches per run, ${args.rounds} rounds: ${label} against the working tree`);
  const rounds: { base: Batch; changed: Batch }[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    // Alternating who goes first keeps a slow start or a busy minute from favouring one build.
    const order = round % 2 === 0 ? (["base", "changed"] as const) : (["changed", "base"] as const);
    const result: Partial<Record<"base" | "changed", Batch>> = {};
    for (const build of order) result[build] = await measure(build === "base" ? baseDir : root);
    rounds.push(result as { base: Batch; changed: Batch });
    console.log(`round ${round + 1}: ${label} ${describe(result.base!)} · working tree ${describe(result.changed!)}`);
  }
  const comparison = compare(rounds);
  console.log(`\nmedians: ${label} ${describe(comparison.base)} · working tree ${describe(comparison.changed)}`);
  console.log(
    `working tree ÷ ${ref}: ${comparison.cpuRatio.toFixed(3)}× the CPU per step; cheaper in ${comparison.cheaperRounds} of ${comparison.rounds} rounds` +
      (comparison.cheaperRounds > 0 && comparison.cheaperRounds < comparison.rounds ? " (mixed: run more rounds before believing it)" : ""),
  );
} finally {
  try {
    git("worktree", "remove", "--force", baseDir);
  } catch {
    // Never added (a bad REF): there is only the directory to remove.
  }
  rmSync(baseDir, { recursive: true, force: true });
}

function describe(batch: Batch): string {
  return `${batch.cpuMsPerStep.toFixed(2)} ms CPU per step, ${batch.stepsPerSecond.toFixed(0)} steps/s`;
}

async function measure(cwd: string): Promise<Batch> {
  const child = spawn(process.execPath, profileArgs, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((done) => child.on("close", done));
  const batches = batchesIn(output);
  if (code !== 0 || batches.length === 0) throw new Error(`bench:profile failed in ${cwd} (exit ${code}):\n${output.slice(-3000)}`);
  return medians(batches);
}
