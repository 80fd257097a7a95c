/**
 * A real local Baton for the CLI tests: the orchestrator and every sample agent in one `wrangler dev`
 * (as `npm start` runs them), on free loopback ports, with its own state and dev registry in a temporary
 * directory, a known API token, migrated D1 and the sample templates seeded. Reuses `npm start`'s pieces.
 *
 * Runs in Node (the CLI tests' vitest project), not in workerd.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/free-port.ts";
import { migrateLocalD1 } from "../../../scripts/migrate-local.ts";
import { seedSampleTemplates } from "../../../scripts/seed-templates.ts";
import { waitForHttp } from "../../../scripts/wait-for-http.ts";
import { repoRoot, workerConfigs } from "../../../scripts/worker-configs.ts";
import { wranglerBin, wranglerEnv } from "../../../scripts/wrangler-env.ts";

export interface LocalStack {
  url: string;
  token: string;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once("exit", () => resolveStop());
    // The whole group: wrangler leaves workerd behind otherwise.
    process.kill(-child.pid!, "SIGTERM");
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000).unref();
  });
}

export async function startLocalStack(): Promise<LocalStack> {
  const dir = mkdtempSync(join(tmpdir(), "baton-cli-test-"));
  const stateDir = join(dir, "state");
  const token = `bt_cli_test_${Date.now().toString(36)}`;
  const env = wranglerEnv({ WRANGLER_REGISTRY_PATH: join(dir, "registry") });
  await migrateLocalD1(stateDir);
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const output: string[] = [];
  const child = spawn(
    wranglerBin,
    [
      "dev",
      ...workerConfigs().flatMap((w) => ["-c", w.configPath]),
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", stateDir,
      "--var", `API_TOKEN:${token}`,
      "--show-interactive-dev-session=false",
    ],
    { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`wrangler dev exited (${code}) before it was ready:\n${output.join("").slice(-4000)}`))),
  );
  const ready = new AbortController();
  try {
    await Promise.race([waitForHttp(`${url}/v1/health`, AbortSignal.any([ready.signal, AbortSignal.timeout(90_000)])), exited]);
    const seeded = await seedSampleTemplates(url, token, AbortSignal.timeout(30_000));
    const failed = seeded.filter((s) => s.outcome === "failed");
    if (failed.length > 0) throw new Error(`could not seed ${failed.map((f) => `${f.file}: ${f.detail}`).join("; ")}`);
  } catch (error) {
    ready.abort();
    await stop();
    throw error;
  }
  exited.catch(() => {});
  return { url, token, stop };
}
