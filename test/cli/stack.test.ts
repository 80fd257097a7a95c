/**
 * Proves `baton` against a real local stack (`wrangler dev` with the orchestrator and every sample
 * agent, as `npm start` runs it): templates are listed, shown, pushed from YAML and validated; `run
 * --watch` follows a sample pipeline live to its end; status, logs, approvals, cancel and the reports
 * work; `agents run` runs an agent directly and `insights` shows runs per key; `fork --from` reruns an ended execution from a step; exit codes are 0 completed, 1 failed, 2 usage error, 3 cancelled; and on a terminal the watch
 * display redraws in place with progress bars. It does not drive a real pseudo-terminal: the terminal
 * case runs the watch in-process with a terminal-like output.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatonClient } from "#shared/client/index.ts";
import type { CliContext } from "../../scripts/baton/context.ts";
import type { Output } from "../../scripts/baton/output.ts";
import { watchExecution } from "../../scripts/baton/watch.ts";
import { type LocalStack, startLocalStack } from "./support/local-stack.ts";
import { eventually } from "../support/eventually.ts";

/** A real stack in other processes: its executions take a while to get anywhere. */
const STACK_WAIT_MS = 20_000;

const bin = join(import.meta.dirname, "../../scripts/baton/bin.mjs");
const files = mkdtempSync(join(tmpdir(), "baton-cli-files-"));
let stack: LocalStack;
let client: BatonClient;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `baton …` as a user would (not a terminal), against the test stack unless env says otherwise. */
function baton(args: string[], env: Record<string, string> = {}): Promise<Run> & { pid?: number } {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, BATON_URL: stack.url, BATON_TOKEN: stack.token, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const path = join(files, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  stack = await startLocalStack();
  client = new BatonClient({ url: stack.url, token: stack.token });
});
afterAll(async () => {
  await stack?.stop();
});

describe("baton against a local stack", () => {
  it("lists, shows, pushes (YAML) and validates templates", async () => {
    const listed = await baton(["templates", "list", "--json"]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining(["hello", "article"]));

    const shown = await baton(["templates", "show", "article"]);
    expect(shown.stdout).toMatch(/article v1\s+Research article/);
    expect(shown.stdout).toMatch(/topic\s+string\s+yes/);

    const yaml = file("greeter.yaml", "id: greeter\nname: Greeter\nparams:\n  who: { type: string, required: true }\nsteps:\n  - id: greet\n    agent: echo\n    input: { value: 'Hi {{params.who}}' }\n");
    expect((await baton(["templates", "push", yaml])).stdout).toBe("saved greeter as version 1\n");
    expect((await baton(["templates", "push", yaml])).stdout).toBe("greeter is unchanged (still version 1)\n");

    const broken = file("broken.json", JSON.stringify({ id: "broken", name: "Broken", steps: [{ id: "a", agent: "nobody" }] }));
    const verdict = await baton(["templates", "validate", broken]);
    expect(verdict.code).toBe(1);
    expect(verdict.stdout).toContain("steps.0.agent:");
    const pushedBroken = await baton(["templates", "push", broken]);
    expect(pushedBroken.code).toBe(1);
    expect(pushedBroken.stderr).toMatch(/error \[validation_failed\][\s\S]*steps\.0\.agent/);
  });

  it("runs a sample pipeline with --watch to its end, then shows its status and logs", async () => {
    const run = await baton(["run", "hello", "--param", "name=Ada", "--watch"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/execution\.queued/);
    const ticks = lines.filter((l) => /step\.progress\s+count\s+\d\/5/.test(l)).map((l) => l.match(/(\d)\/5/)![1]);
    expect(ticks.slice(-5)).toEqual(["1", "2", "3", "4", "5"]);
    expect(lines.at(-1)).toMatch(/execution\.completed/);

    const started = JSON.parse((await baton(["run", "hello", "--json"])).stdout) as { id: string };
    const final = await eventually(() => client.executions.get(started.id), (e) => e.status === "completed", STACK_WAIT_MS);
    const status = await baton(["status", final.id]);
    expect(status.stdout).toMatch(/^hello v1\s+ex_\w+\s+completed/);
    expect(status.stdout).toMatch(/✓ greet\s+completed/);
    expect(status.stdout).toMatch(/✓ count\s+completed/);
    expect((await baton(["logs", final.id])).code).toBe(0);
  });

  it("forks an ended execution from a step with --watch: the steps before it are reused", async () => {
    const started = JSON.parse((await baton(["run", "hello", "--param", "name=Ada", "--json"])).stdout) as { id: string };
    await eventually(() => client.executions.get(started.id), (e) => e.status === "completed", STACK_WAIT_MS);
    const forked = await baton(["fork", started.id, "--from", "count", "--param", "name=Grace", "--watch"]);
    expect(forked.stderr).toBe("");
    expect(forked.code).toBe(0);
    expect(forked.stdout).toMatch(/step\.completed\s+greet\s+reused from ex_\w+, no cost/);
    expect(forked.stdout).toMatch(/step\.started\s+count/);
    expect(forked.stdout).not.toMatch(/step\.started\s+greet/);
    expect((await baton(["fork", started.id])).code).toBe(2);
  });

  it("exits 1 when the execution fails, 3 when it is cancelled, 2 on a usage error", async () => {
    await client.templates.save({ id: "cli-fails", name: "Fails", steps: [{ id: "a", agent: "echo", input: { fail: { times: 1, retryable: false } } }] });
    const failed = await baton(["run", "cli-fails", "--watch"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/execution\.failed/);

    await client.templates.save({ id: "cli-slow", name: "Slow", steps: [{ id: "a", agent: "echo", input: { delayMs: 30_000 } }] });
    const watching = baton(["run", "cli-slow", "--idempotency-key", "cancel-me", "--watch"]);
    const running = await eventually(() => client.executions.list({ template: "cli-slow" }), (page) => page.executions[0]?.status === "running", STACK_WAIT_MS);
    const cancelled = await baton(["cancel", running.executions[0]!.id, "--reason", "not today"]);
    expect(cancelled.stdout).toMatch(/: cancelled\n$/);
    const watched = await watching;
    expect(watched.code).toBe(3);
    expect(watched.stdout).toMatch(/execution\.cancelled\s+not today/);

    expect((await baton(["run"])).code).toBe(2);
    const missing = await baton(["run", "greeter"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--param who=");
    const badValue = await baton(["run", "article", "--param", "topic=x", "--param", "sections=many"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("--param sections: expected a whole number");
  });

  it("approves a waiting step", async () => {
    await client.templates.save({ id: "cli-gate", name: "Gate", steps: [{ id: "review", type: "approval", message: "Ship?" }, { id: "ship", agent: "echo", needs: ["review"] }] });
    const { id } = JSON.parse((await baton(["run", "cli-gate", "--json"])).stdout) as { id: string };
    await eventually(() => client.executions.get(id), (e) => e.status === "waiting", STACK_WAIT_MS);
    expect((await baton(["status", id])).stdout).toContain('waiting for approval: "Ship?"');
    const approved = await baton(["approve", id, "review", "--comment", "go"]);
    expect(approved.code).toBe(0);
    expect((await eventually(() => client.executions.get(id), (e) => e.status === "completed", STACK_WAIT_MS)).steps[1]!.status).toBe("completed");
  });

  it("shows the queue, the agents and usage; says so when the token is wrong", async () => {
    for (const report of ["queue", "agents", "usage"]) {
      const shown = await baton([report]);
      expect(shown.code, `${report}: ${shown.stderr}`).toBe(0);
      expect((await baton([report, "--json"])).code).toBe(0);
    }
    expect((await baton(["agents"])).stdout).toMatch(/echo/);
    const refused = await baton(["templates", "list"], { BATON_TOKEN: "wrong" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("error [unauthorized]");
    expect(refused.stderr).toContain("the token came from BATON_TOKEN");
  });

  it("adds a viewer (password printed once), disables and re-enables them, and shows the stats", async () => {
    const added = await baton(["users", "add", "cli-viewer@example.com", "--role", "viewer"]);
    expect(added.code, added.stderr).toBe(0);
    const password = /Password \(shown this once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password).toMatch(/^bp_/);
    const listed = await baton(["users"]);
    expect(listed.stdout).toMatch(/cli-viewer@example\.com\s+viewer\s+enabled/);
    expect(listed.stdout).not.toContain(password);
    expect((await baton(["users", "disable", "cli-viewer@example.com"])).stdout).toContain("is disabled");
    expect((await client.users.get("cli-viewer@example.com")).disabledAt).toEqual(expect.any(Number));
    expect((await baton(["users", "enable", "cli-viewer@example.com"])).code).toBe(0);
    const reset = await baton(["users", "reset-password", "cli-viewer@example.com", "--json"]);
    expect(JSON.parse(reset.stdout)).toMatchObject({ user: { email: "cli-viewer@example.com" }, password: expect.not.stringMatching(password!) });
    const wrongRole = await baton(["users", "add", "x@example.com", "--role", "owner"]);
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toContain("admin or viewer");

    const stats = await baton(["stats"]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(/^Today: {2}\d+ started, \d+ finished/m);
    expect(JSON.parse((await baton(["stats", "--json"])).stdout).hourly).toHaveLength(24);
  });

  it("runs an agent directly, and shows a template's insights per key", async () => {
    const run = await baton(["agents", "run", "echo", "--input", '{"value":"from the cli","progress":2}', "--watch"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/execution\.completed/);
    const bad = await baton(["agents", "run", "echo", "--input", '{"delayMs":"soon"}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("input.delayMs");
    expect((await baton(["agents", "run", "echo", "--input", "{not json"])).code).toBe(2);

    await client.templates.save({
      id: "cli-themes",
      name: "Themes",
      params: { theme: { type: "string", default: "space" } },
      steps: [{ id: "a", agent: "echo" }],
      rateLimit: { key: "{{params.theme}}", limit: 2, window: "1h" },
    });
    for (const theme of ["space", "space", "ocean"]) await baton(["run", "cli-themes", "--param", `theme=${theme}`, "--watch"]);
    const insights = await baton(["insights", "cli-themes", "--by", "theme", "--window", "7d"]);
    expect(insights.code, insights.stderr).toBe(0);
    expect(insights.stdout).toMatch(/cli-themes by theme, last 7d; rate limit 2 per 1h per key/);
    expect(insights.stdout).toMatch(/space\s+2\s+2\s+0\s+\$0\.0000\s+\S+ \S+\s+2\/2 per 1h/);
    expect(insights.stdout).toMatch(/ocean\s+1\s+1\s+0.*1\/2 per 1h\s+now/);
    expect((await baton(["insights", "cli-themes", "--window", "1y"])).code).toBe(2);
  });

  it("redraws the live display in place on a terminal", async () => {
    let written = "";
    const out: Output = { json: false, tty: true, color: true, size: () => ({ columns: 120, rows: 40 }), onResize: () => () => {}, write: (t) => void (written += t), error: (t) => void (written += t) };
    const ctx: CliContext = { client, connection: { url: stack.url, token: stack.token, tokenSource: "test" }, out, ask: undefined, readFile: () => "", now: () => Date.now() };
    const { id } = await client.executions.start({ template: "hello", params: { name: "Tty" } });
    const final = await watchExecution(ctx, id);
    expect(final.status).toBe("completed");
    // Redrawn in place (cursor up, clear), with a progress bar along the way and colors throughout.
    expect(written).toMatch(/\x1b\[\d+F\x1b\[J/);
    expect(written).toMatch(/\[█+░*\]/);
    expect(written).toContain("\x1b[32mcompleted");
  });
});
