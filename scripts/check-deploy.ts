/**
 * The deploy half of `npm run check`: `wrangler deploy --dry-run` of every Worker (the orchestrator,
 * each agent and the bench Worker), which bundles it and validates its config without an account, and
 * `wrangler types --check`, which fails when the generated `Env` no longer matches wrangler.toml.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { type BuildFailure as Failure, runBuilds, workerBundle } from "./deploy/bundles.ts";
import { runCommand } from "./run-command.ts";
import { repoRoot, workerConfigs } from "./worker-configs.ts";
import { wranglerBin, wranglerEnv } from "./wrangler-env.ts";

/** `npm run types` with `--check`: the one place that says how the file is generated stays package.json. */
async function checkGeneratedTypes(): Promise<Failure | undefined> {
  const packageJson = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const script = packageJson.scripts?.types;
  const [command, subcommand, ...args] = script?.trim().split(/\s+/) ?? [];
  if (command !== "wrangler" || subcommand !== "types") {
    const output = `package.json's "types" script should be a plain "wrangler types …" command; it is ${JSON.stringify(script)}.`;
    return { what: "wrangler types --check", output };
  }
  const { code, output } = await runCommand(wranglerBin, ["types", ...args, "--check"], {
    cwd: repoRoot,
    env: wranglerEnv(),
  });
  if (code === 0) {
    console.log("  ok    generated types are up to date");
    return undefined;
  }
  console.log("  FAIL  generated types are stale: run `npm run types` and commit the result");
  return { what: "wrangler types --check", output };
}

async function main(): Promise<number> {
  // The bench Worker (bench/worker) is not part of `npm start`, but it must still build and deploy.
  const workers = [...workerConfigs(), { label: "bench", configPath: "bench/worker/wrangler.toml" }];
  const outRoot = mkdtempSync(join(tmpdir(), "baton-check-"));
  console.log(`Checking ${workers.length} Workers (wrangler deploy --dry-run) and the generated types:`);
  let failures: Failure[] = [];
  try {
    failures = await runBuilds([checkGeneratedTypes, ...workers.map((worker) => workerBundle(worker, outRoot))]);
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
  for (const failure of failures) {
    // Wrangler colours its output even into a pipe; keep the colours only for a terminal.
    const output = process.stderr.isTTY ? failure.output : stripVTControlCharacters(failure.output);
    console.error(`\n--- ${failure.what} failed:\n${output.trim()}`);
  }
  if (failures.length > 0) {
    console.error(`\ncheck failed: ${failures.map((f) => f.what).join("; ")}`);
    return 1;
  }
  return 0;
}

process.exit(await main());
