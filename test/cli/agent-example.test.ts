/**
 * Proves the Node HTTP agent of docs/agents.md (and the README) verifies Baton's signature: run as
 * written, with its secret, it answers a call signed by `signWebhook` (what Baton sends), and refuses
 * one without a signature, with another secret, with a changed body or a stale timestamp. Runs in Node,
 * the example's runtime, on a loopback port the kernel picks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../../shared/webhook-signature.ts";
import { freePort } from "../../scripts/free-port.ts";

const root = resolve(import.meta.dirname, "../..");
const SECRET = "bas_example-secret-for-the-test";
let agent: ChildProcess | undefined;
let base = "";

function exampleFrom(markdown: string): string {
  const start = markdown.indexOf("```js\n// shout-agent.mjs");
  if (start < 0) throw new Error("no shout-agent.mjs example in the document");
  return markdown.slice(start + "```js\n".length, markdown.indexOf("```", start + 5));
}

beforeAll(async () => {
  const docs = exampleFrom(readFileSync(join(root, "docs/agents.md"), "utf8"));
  expect(exampleFrom(readFileSync(join(root, "README.md"), "utf8"))).toBe(docs);
  const dir = mkdtempSync(join(tmpdir(), "baton-agent-example-"));
  writeFileSync(join(dir, "shout-agent.mjs"), docs);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  agent = spawn(process.execPath, [join(dir, "shout-agent.mjs")], { env: { ...process.env, PORT: String(port), BATON_SIGNING_SECRET: SECRET }, stdio: "pipe" });
  await new Promise<void>((ready, fail) => {
    agent!.stdout!.on("data", (chunk: Buffer) => (chunk.toString().includes("shout agent on") ? ready() : undefined));
    agent!.once("exit", (code) => fail(new Error(`the example exited with ${code}`)));
  });
});

afterAll(() => {
  agent?.kill();
});

async function run(body: string, signature: string | null): Promise<Response> {
  return fetch(`${base}/run`, { method: "POST", body, headers: { "content-type": "application/json", ...(signature ? { "baton-signature": signature } : {}) } });
}

describe("the Node agent example", () => {
  const task = JSON.stringify({ executionId: "ex_1", stepId: "shout", attempt: 1, idempotencyKey: "ex_1:shout", input: { text: "hello" }, deadline: 0 });
  const now = () => Math.floor(Date.now() / 1000);

  it("answers a call Baton signed", async () => {
    const response = await run(task, await signWebhook(SECRET, task, now()));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ output: { text: "HELLO!" } });
  });

  it("refuses unsigned calls, other secrets, changed bodies and stale timestamps", async () => {
    expect((await run(task, null)).status).toBe(401);
    expect((await run(task, await signWebhook("bas_someone-else", task, now()))).status).toBe(401);
    expect((await run(task.replace("hello", "pwned"), await signWebhook(SECRET, task, now()))).status).toBe(401);
    expect((await run(task, await signWebhook(SECRET, task, now() - 3600))).status).toBe(401);
  });
});
