/**
 * Proves `baton run --watch` in a real terminal: the command runs in a tmux pane (a real pseudo-terminal
 * and terminal emulator, whose screen tmux reads back) at 80 columns, then resized to 120 and down to 60,
 * while an approval waits with a message far wider than the screen and a step streams long lines. After
 * seconds of redraws (every event and every second), the screen holds one header and one line per step,
 * each on one row, with the streaming step's last line; at the end it shows the finished execution the
 * same way. Piped, the same command prints plain lines, one per event.
 *
 * The events come from a small stand-in for the API, started by the test: the engine does not emit
 * `step.stream` yet (the lead adds it), so its events are synthesized here in the contract's shape.
 * Needs tmux (`apt-get install tmux`; .ci/run installs it).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import type { ExecutionEvent, ExecutionState, StepState } from "#shared/execution.ts";
import { repoRoot } from "../../scripts/worker-configs.ts";

const ID = "ex_terminal0000000000";
const APPROVAL = `Publish "Deep sea creatures" to the storefront? ${"The cover, all 30 pages and their captions were checked by the inspector; ".repeat(4)}approve to ship.`;
const node = join(repoRoot, "node_modules/.bin/node");
const bin = join(repoRoot, "scripts/baton/bin.mjs");

function step(id: string, overrides: Partial<StepState>): StepState {
  return {
    id, type: "agent", agent: "echo", status: "pending", attempt: 0, maxAttempts: 1, input: null, output: null, error: null,
    progress: null, waitingFor: null, wakeAt: null, startedAt: null, endedAt: null,
    usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 0 }, items: null, childExecutionId: null, ...overrides,
  };
}

/** A stand-in for the API: the template, the start, the execution's state, and its events as they are pushed. */
class FakeBaton {
  readonly events: ExecutionEvent[] = [];
  readonly streams = new Set<ServerResponse>();
  state: ExecutionState;
  server: Server;

  constructor() {
    const start = Date.now();
    this.state = {
      id: ID, templateId: "tty-demo", templateVersion: 1, status: "running", params: {}, priority: 0, idempotencyKey: null,
      parentExecutionId: null, createdBy: "token:test", createdAt: start, startedAt: start, endedAt: null, error: null, reason: null,
      costUsd: 0, output: null, lastEventSeq: 0, startApproval: null,
      steps: [step("draft", {}), step("review", { type: "approval", agent: null }), step("publish", {})],
    };
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const json = (body: unknown, status = 200) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (url.pathname === "/v1/templates/tty-demo") return json({ id: "tty-demo", version: 1, definition: { id: "tty-demo", name: "TTY", params: {}, steps: [] } });
      if (req.method === "POST" && url.pathname === "/v1/executions") return json({ id: ID, status: "running", created: true }, 202);
      if (url.pathname === `/v1/executions/${ID}`) return json(this.state);
      if (url.pathname === `/v1/executions/${ID}/events`) {
        const after = Number(req.headers["last-event-id"] ?? url.searchParams.get("after") ?? 0);
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const event of this.events) if (event.seq > after) res.write(frame(event));
        if (this.events.some((event) => event.type === "execution.completed")) return res.end();
        this.streams.add(res);
        res.on("close", () => this.streams.delete(res));
        return;
      }
      json({ error: { code: "not_found", message: url.pathname } }, 404);
    });
  }

  push(type: string, data: Record<string, unknown>): void {
    const event = { seq: this.events.length + 1, type, executionId: ID, at: Date.now(), data } as ExecutionEvent;
    this.events.push(event);
    for (const res of this.streams) {
      res.write(frame(event));
      if (type === "execution.completed") res.end();
    }
  }
}

const frame = (event: ExecutionEvent) => `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const dir = mkdtempSync(join(tmpdir(), "baton-tty-"));
const tmux = (...args: string[]) => execFileSync("tmux", ["-S", join(dir, "tmux.sock"), "-f", "/dev/null", ...args], { encoding: "utf8" });
const fakes: FakeBaton[] = [];

/** A stand-in API on a free loopback port; stopped after the tests. */
async function startFake(): Promise<{ fake: FakeBaton; url: string }> {
  const fake = new FakeBaton();
  fakes.push(fake);
  await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
  return { fake, url: `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}` };
}

afterAll(async () => {
  try {
    tmux("kill-server");
  } catch {
    // Not started, or already gone.
  }
  for (const fake of fakes) {
    for (const res of fake.streams) res.destroy();
    await new Promise((resolve) => fake.server.close(resolve));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The pane's screen, row by row, trailing blank rows dropped. */
function screen(): string[] {
  const rows = tmux("capture-pane", "-p", "-t", "watch").split("\n").map((row) => row.trimEnd());
  while (rows.length > 0 && rows.at(-1) === "") rows.pop();
  return rows;
}

/** One header, then one row per step, each step once, nothing else; returns the step rows by id. */
function expectOneLinePerStep(rows: string[], columns: number): Map<string, string> {
  expect(rows.filter((row) => row.includes("tty-demo v1")), rows.join("\n")).toHaveLength(1);
  expect(rows[0]).toContain("tty-demo v1");
  const steps = new Map<string, string>();
  for (const id of ["draft", "review", "publish"]) {
    const matching = rows.filter((row) => new RegExp(`^  \\S ${id}\\s`).test(row));
    expect(matching, `${id} in:\n${rows.join("\n")}`).toHaveLength(1);
    steps.set(id, matching[0]!);
  }
  expect(rows, rows.join("\n")).toHaveLength(4);
  for (const row of rows) expect(row.length).toBeLessThan(columns);
  return steps;
}

/** The screen once `ready` holds for it (the CLI may start slowly on a busy machine), at most 30 s. */
async function screenWhen(ready: (rows: string[]) => boolean): Promise<string[]> {
  let rows = screen();
  for (let i = 0; i < 150 && !ready(rows); i++) {
    await sleep(200);
    rows = screen();
  }
  return rows;
}

const longLine = (n: number) => `line ${n}: ${"the abyssal anglerfish lures its prey with a glowing esca ".repeat(3)}`;

describe("baton run --watch in a terminal", () => {
  it("keeps one header and one row per step at 80 and 120 columns, through resizes, to the end", async () => {
    const { fake, url } = await startFake();
    tmux("new-session", "-d", "-s", "watch", "-x", "80", "-y", "30",
      "-e", `BATON_URL=${url}`, "-e", "BATON_TOKEN=bt_test", "-e", "TERM=xterm-256color",
      `${node} ${bin} run tty-demo --watch; sleep 600`);
    tmux("set-option", "-t", "watch", "window-size", "manual");

    fake.push("execution.started", {});
    fake.push("step.started", { stepId: "draft", status: "running", attempt: 1 });
    for (let i = 1; i <= 3; i++) fake.push("step.stream", { stepId: "draft", attempt: 1, chunk: `${longLine(i)}\n`, index: i });
    fake.push("step.started", { stepId: "review", status: "waiting", attempt: 1, type: "approval" });
    fake.push("approval.required", { stepId: "review", message: APPROVAL, timeoutAt: Date.now() + 3_600_000 });
    await screenWhen((rows) => rows.some((row) => row.includes("waiting for approval")) && rows.some((row) => row.includes("› line 3")));
    // Several more redraws by the clock (one a second): the old display redrew into wrapped rows here.
    await sleep(3_000);
    const at80 = expectOneLinePerStep(screen(), 80);
    expect(at80.get("review")).toMatch(/waiting for approval: "Publish "Deep sea creatures".*…$/);
    expect(at80.get("draft")).toMatch(/› line 3: the abyssal/);

    tmux("resize-window", "-t", "watch", "-x", "120", "-y", "30");
    fake.push("step.stream", { stepId: "draft", attempt: 1, chunk: longLine(4), index: 4 });
    await screenWhen((rows) => rows.some((row) => row.includes("› line 4")));
    await sleep(2_500);
    const at120 = expectOneLinePerStep(screen(), 120);
    expect(at120.get("draft")).toMatch(/› line 4: the abyssal/);
    expect(at120.get("review")!.length).toBeGreaterThan(at80.get("review")!.length);

    tmux("resize-window", "-t", "watch", "-x", "60", "-y", "30");
    await sleep(2_500);
    expectOneLinePerStep(screen(), 60);

    tmux("resize-window", "-t", "watch", "-x", "80", "-y", "30");
    fake.push("step.completed", { stepId: "draft", status: "completed", attempt: 1 });
    fake.push("approval.resolved", { stepId: "review", approved: true, by: "admin" });
    fake.push("step.completed", { stepId: "review", status: "completed", attempt: 1 });
    fake.push("step.started", { stepId: "publish", status: "running", attempt: 1 });
    fake.push("step.completed", { stepId: "publish", status: "completed", attempt: 1 });
    const end = Date.now();
    fake.state = {
      ...fake.state, status: "completed", endedAt: end, lastEventSeq: fake.events.length + 1,
      steps: fake.state.steps.map((s) => ({ ...s, status: "completed", attempt: 1, startedAt: end - 1_000, endedAt: end })),
    };
    fake.push("execution.completed", { costUsd: 0, durationMs: 0 });
    const rows = await screenWhen((screenRows) => screenRows[0]?.includes("completed") === true);
    const final = expectOneLinePerStep(rows, 80);
    expect(rows[0]).toMatch(/tty-demo v1 +ex_terminal\S* +completed/);
    for (const row of final.values()) expect(row).toMatch(/✓ \w+ +completed/);
  }, 120_000);

  it("prints plain lines, one per event, into a pipe", async () => {
    const { fake, url } = await startFake();
    fake.push("execution.started", {});
    fake.push("step.started", { stepId: "draft", status: "running", attempt: 1 });
    for (let i = 1; i <= 4; i++) fake.push("step.stream", { stepId: "draft", attempt: 1, chunk: `${longLine(i)}\n`, index: i });
    fake.push("step.completed", { stepId: "draft", status: "completed", attempt: 1 });
    fake.state = { ...fake.state, status: "completed", endedAt: Date.now(), lastEventSeq: fake.events.length + 1 };
    fake.push("execution.completed", { costUsd: 0, durationMs: 0 });
    const child = spawn(node, [bin, "run", "tty-demo", "--watch"], { env: { ...process.env, BATON_URL: url, BATON_TOKEN: "bt_test" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).not.toContain("\x1b");
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(fake.events.length);
    expect(lines.filter((line) => line.includes("step.stream"))).toHaveLength(4);
  }, 60_000);
});
