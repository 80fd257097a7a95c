/**
 * Proves `npm start` behaves for other Workers and for time as a deployment does: a Worker of the user's
 * run with plain `wrangler dev` (the documented `npm run example:caller`, nothing set by hand) finds the
 * orchestrator in wrangler's default dev registry and runs a pipeline over RPC, refusals included; and
 * the crons fire by themselves (each agent's health is checked again and again without anyone asking);
 * and a second `npm start` refuses to register a second "orchestrator" there, pointing to
 * --private-registry.
 *
 * The "default" registry is wrangler's own default, under a temporary HOME, so the test neither sees nor
 * disturbs another stack on this machine. The crons tick every 3 s here (BATON_CRON_EVERY_MS) instead of
 * every minute. Does not prove the console (test:e2e) or the private registry's isolation.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/free-port.ts";
import { repoRoot } from "../../scripts/worker-configs.ts";
import { wranglerBin, wranglerEnv } from "../../scripts/wrangler-env.ts";
import { type Stack, startStack } from "../e2e/stack.ts";

let stack: Stack;
let home: string;
let caller: ChildProcess | undefined;
let callerUrl: string;

/** The environment of a user's shell: no registry path set, HOME (and so wrangler's default registry) shared. */
function userShell(dir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, HOME: dir, XDG_CONFIG_HOME: join(dir, ".config") };
  delete env.WRANGLER_REGISTRY_PATH;
  return env;
}

beforeAll(async () => {
  stack = await startStack({
    timeoutMs: 170_000,
    env: (dir) => {
      home = dir;
      return { ...userShell(dir), BATON_CRON_EVERY_MS: "3000" };
    },
  });
  // The documented command, on a free port.
  const script = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts["example:caller"] as string;
  const port = await freePort();
  const args = script.replace(/^wrangler /, "").replace(/--port \d+/, `--port ${port}`).split(" ");
  callerUrl = `http://127.0.0.1:${port}`;
  caller = spawn(wranglerBin, [...args, "--ip", "127.0.0.1", "--inspector-port", "0", "--show-interactive-dev-session=false"], {
    cwd: repoRoot,
    env: userShell(home, wranglerEnv()),
    detached: true,
    stdio: "ignore",
  });
}, 180_000);

afterAll(async () => {
  if (caller?.pid !== undefined && caller.exitCode === null) {
    process.kill(-caller.pid, "SIGTERM");
    await new Promise((resolve) => caller!.once("exit", resolve));
  }
  await stack?.stop();
}, 30_000);

async function runThroughCaller(body: unknown): Promise<Record<string, any>[]> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const response = await fetch(`${callerUrl}/run`, { method: "POST", body: JSON.stringify(body) }).catch(() => undefined);
    if (response?.ok) {
      return (await response.text()).split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
    }
    await sleep(1_000);
  }
  throw new Error(`the example caller did not answer at ${callerUrl}`);
}

describe("npm start", () => {
  it("is found by a Worker run with plain wrangler dev, which runs a pipeline over RPC", async () => {
    expect(stack.output()).toContain("npm run example:caller");
    const lines = await runThroughCaller({ template: "hello", params: { name: "Ada" } });
    expect(lines.at(0)).toMatchObject({ type: "execution.queued" });
    expect(lines.at(-1)).toMatchObject({ done: true, status: "completed", output: { count: { value: "Hello, Ada!" } } });

    const refused = await runThroughCaller({ template: "hello", params: { nmae: "Ada" } });
    // Between two wrangler dev processes only the readable message crosses: the code is read back from it.
    expect(refused).toEqual([{ error: { code: "validation_failed", message: 'params.nmae: unknown param "nmae"; this template takes name' } }]);
  });

  it("refuses to start a second orchestrator in the same registry", async () => {
    const [apiPort, consolePort] = [await freePort(), await freePort()];
    const second = spawn(
      join(repoRoot, "node_modules/.bin/node"),
      ["scripts/start.ts", "--api-port", String(apiPort), "--console-port", String(consolePort), "--state-dir", join(home, "second-state")],
      { cwd: repoRoot, env: userShell(home), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    for (const stream of [second.stdout, second.stderr]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain('another Baton (a Worker named "orchestrator") is running');
    expect(output).toContain("--private-registry");
  });

  it("fires the crons by itself: every agent's health is checked again and again", async () => {
    expect(stack.output()).toContain("Crons fire every 3 s");
    const checkedAt = async () => {
      const response = await fetch(`${stack.apiUrl}/v1/agents`, { headers: { authorization: `Bearer ${stack.apiToken}` } });
      const { agents } = (await response.json()) as { agents: { name: string; lastCheckedAt: number | null }[] };
      return new Map(agents.map((agent) => [agent.name, agent.lastCheckedAt ?? 0]));
    };
    const first = await checkedAt();
    expect(first.get("echo")).toBeDefined();
    let later = first;
    for (let i = 0; i < 20 && [...later].some(([name, at]) => at <= first.get(name)!); i++) {
      await sleep(1_000);
      later = await checkedAt();
    }
    for (const [name, at] of later) expect(at, `agent ${name} checked again`).toBeGreaterThan(first.get(name)!);
  });
});
