/**
 * Proves inbound triggers through the real Worker, D1 and the buffer Durable Objects: a signed event
 * starts its template with params mapped from the payload and headers; a bad signature, a replayed old
 * timestamp and an oversized body are refused and leave nothing stored; debounce starts one execution
 * with the last payload; batches of 25 with maxSize 10 start 10, 10 and 5; buffered events survive the
 * buffer's eviction; an idempotency key never starts twice. It does not prove delivery from the real
 * GitHub or Stripe (their headers are the same kind of thing as the ones sent here).
 */
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { TriggerDelivery } from "#shared/api/triggers.ts";
import type { ExecutionState } from "#shared/execution.ts";
import { signWebhook } from "#shared/webhook-signature.ts";
import { BatonClient } from "#shared/client/index.ts";
import { triggerBufferStub } from "../../workers/orchestrator/src/triggers/buffer-do.ts";
import { api, apiJson } from "../support/api.ts";
import { getExecution, saveTemplate, waitFor } from "../support/executions.ts";
import { workerFetch } from "../support/mcp.ts";

// D1 is shared by the tests of a file: each test saves these under its own template id.
const deploy = (id: string) => ({
  id,
  name: "Deploy",
  params: { repo: { type: "string", required: true }, sha: { type: "string", default: "HEAD" }, delivery: { type: "string" } },
  steps: [{ id: "ship", agent: "echo", input: { value: "{{params.repo}}@{{params.sha}}" } }],
});
const digest = (id: string) => ({
  id,
  name: "Digest",
  params: { items: { type: "array", required: true }, source: { type: "string" } },
  steps: [{ id: "sum", agent: "echo", input: { value: "{{params.source}}" } }],
});

async function putTrigger(name: string, body: Record<string, unknown>, expect = [200, 201]) {
  return apiJson(`/v1/triggers/${name}`, { method: "PUT", body, expect });
}

async function send(name: string, payload: unknown, headers: Record<string, string> = {}, token: string | null = "test-token") {
  return api(`/v1/triggers/${name}/events`, { method: "POST", body: JSON.stringify(payload), headers, token });
}

async function signed(name: string, secret: string, payload: unknown, headers: Record<string, string> = {}, at = Math.floor(Date.now() / 1000)) {
  const body = JSON.stringify(payload);
  return send(name, payload, { "baton-signature": await signWebhook(secret, body, at), ...headers }, null);
}

async function deliveries(name: string): Promise<TriggerDelivery[]> {
  return (await apiJson(`/v1/triggers/${name}/deliveries?limit=200`)).deliveries;
}

/** Polls the delivery log until `done` holds (bounded). */
async function deliveriesWhen(name: string, done: (d: TriggerDelivery[]) => boolean, timeoutMs = 10_000): Promise<TriggerDelivery[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await deliveries(name);
    if (done(found)) return found;
    if (Date.now() > until) throw new Error(`deliveries of ${name} never got there: ${JSON.stringify(found, null, 1).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function executionsOf(template: string): Promise<ExecutionState[]> {
  const page = await apiJson(`/v1/executions?template=${template}&limit=100`);
  return Promise.all(page.executions.map((e: { id: string }) => getExecution(e.id)));
}

describe("inbound triggers", () => {
  it("a signed event starts the template with params mapped from the payload and headers; the secret is shown once", async () => {
    await saveTemplate(deploy("deploy-0"));
    const saved = await putTrigger("gh-push", {
      template: "deploy-0",
      auth: "signature",
      params: { repo: "{{payload.repository.full_name}}", sha: "{{payload.after}}", delivery: "{{headers.x-github-delivery}}" },
    }, [201]);
    expect(saved).toMatchObject({ name: "gh-push", created: true, eventsPath: "/v1/triggers/gh-push/events", secret: expect.stringMatching(/^bts_/) });
    expect(await apiJson("/v1/triggers/gh-push")).not.toHaveProperty("secret");
    const again = await putTrigger("gh-push", { template: "deploy-0", auth: "signature", params: saved.params });
    expect(again).toMatchObject({ created: false });
    expect(again).not.toHaveProperty("secret");

    const response = await signed("gh-push", saved.secret, { repository: { full_name: "acme/site" }, after: "abc123" }, { "x-github-delivery": "d-1" });
    expect(response.status).toBe(202);
    const answer = await response.json<any>();
    expect(answer).toMatchObject({ accepted: true, executionId: expect.stringMatching(/^ex_/) });
    const done = await waitFor(answer.executionId);
    expect(done).toMatchObject({ status: "completed", params: { repo: "acme/site", sha: "abc123", delivery: "d-1" }, createdBy: "trigger:gh-push" });
    expect(done.output).toEqual({ ship: { value: "acme/site@abc123", attempt: 1 } });
    expect(await deliveries("gh-push")).toEqual([expect.objectContaining({ status: "started", executionId: answer.executionId })]);
  });

  it("refuses a bad signature, a replayed old timestamp and an oversized body, storing nothing", async () => {
    await saveTemplate(deploy("deploy-1"));
    const { secret } = await putTrigger("signed", { template: "deploy-1", auth: "signature", params: { repo: "{{payload.repo}}" } });
    const wrong = await signed("signed", "bts_not_the_secret_at_all", { repo: "x" });
    expect(wrong.status).toBe(401);
    expect((await wrong.json<any>()).error.message).toContain("no v1 signature matches the body");
    const old = await signed("signed", secret, { repo: "x" }, {}, Math.floor(Date.now() / 1000) - 301);
    expect(old.status).toBe(401);
    expect((await old.json<any>()).error.message).toContain("timestamp outside the tolerance");
    const unsigned = await send("signed", { repo: "x" });
    expect(unsigned.status).toBe(401);

    await apiJson("/v1/config", { method: "PUT", body: { triggers: { maxEventBytes: 2048 } } });
    const big = await signed("signed", secret, { repo: "x".repeat(4000) });
    expect(big.status).toBe(413);
    expect((await big.json<any>()).error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("2048 bytes") });
    await apiJson("/v1/config", { method: "PUT", body: { triggers: { maxEventBytes: 262144 } } });

    expect(await deliveries("signed")).toEqual([]);
    expect((await apiJson("/v1/executions?template=deploy-1")).executions).toEqual([]);
  });

  it("a token trigger needs a bearer token; an event its mapping cannot read is refused and recorded with why", async () => {
    await saveTemplate(deploy("deploy-2"));
    await putTrigger("by-token", { template: "deploy-2", auth: "token", params: { repo: "{{payload.repo}}" } });
    expect((await send("by-token", { repo: "a" }, {}, null)).status).toBe(401);
    const missing = await send("by-token", { nothing: true });
    expect(missing.status).toBe(422);
    const ok = await send("by-token", { repo: "a" });
    expect(ok.status).toBe(202);
    const log = await deliveries("by-token");
    expect(log.map((d) => d.status)).toEqual(["started", "refused"]);
    expect(log[1]!.detail).toContain('payload has no field "repo"');
  });

  it("refuses a trigger that cannot work, naming each field", async () => {
    await saveTemplate(deploy("deploy-3"));
    const response = await api("/v1/triggers/broken", {
      method: "PUT",
      body: { template: "deploy-3", auth: "token", params: { repo: "{{params.x}}", nope: 1 }, batch: { maxSize: 5, maxWaitMs: 100 } },
    });
    expect(response.status).toBe(422);
    const paths = (await response.json<any>()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["params.repo", "params.nope", "batch"]));
  });

  it("ten events in 200 ms with one debounce key start exactly one execution, with the last payload", async () => {
    await saveTemplate(deploy("deploy-4"));
    await putTrigger("debounced", { template: "deploy-4", auth: "token", params: { repo: "{{payload.repo}}", sha: "{{payload.n}}" }, debounce: { key: "{{payload.repo}}", periodMs: 300 } });
    for (let n = 1; n <= 10; n++) {
      const response = await send("debounced", { repo: "acme/site", n: `v${n}` });
      expect(await response.json()).toMatchObject({ accepted: true, debounced: true });
      await new Promise((r) => setTimeout(r, 20));
    }
    const log = await deliveriesWhen("debounced", (d) => d.some((x) => x.status === "started"));
    // Well past another quiet period: nothing else starts.
    await new Promise((r) => setTimeout(r, 600));
    const runs = await executionsOf("deploy-4");
    expect(runs).toHaveLength(1);
    expect(runs[0]!.params).toMatchObject({ repo: "acme/site", sha: "v10" });
    const final = await deliveries("debounced");
    expect(final.filter((d) => d.status === "started")).toHaveLength(1);
    expect(final.every((d) => d.executionId === runs[0]!.id)).toBe(true);
    expect(log).toHaveLength(10);
  });

  it("25 events with maxSize 10 start three executions of 10, 10 and 5 items, in arrival order", async () => {
    await saveTemplate(digest("digest-5"));
    await putTrigger("batched", { template: "digest-5", auth: "token", params: { source: "{{headers.x-source}}" }, batch: { maxSize: 10, maxWaitMs: 4000 } });
    for (let n = 0; n < 25; n++) {
      const response = await send("batched", { n }, { "x-source": "shop" });
      expect(await response.json()).toMatchObject({ accepted: true, batched: true });
    }
    // The first two batches start when full; the last five once the oldest of them is 4 s old.
    await deliveriesWhen("batched", (d) => d.length === 25 && d.every((x) => x.executionId !== null), 15_000);
    const runs = (await executionsOf("digest-5")).sort((a, b) => (a.params.items as { n: number }[])[0]!.n - (b.params.items as { n: number }[])[0]!.n);
    expect(runs.map((r) => (r.params.items as unknown[]).length)).toEqual([10, 10, 5]);
    expect(runs.flatMap((r) => (r.params.items as { n: number }[]).map((i) => i.n))).toEqual([...Array(25).keys()]);
    expect(runs.every((r) => r.params.source === "shop" && r.createdBy === "trigger:batched")).toBe(true);
  });

  it("a restart between accepting events and flushing the batch loses none", async () => {
    await saveTemplate(digest("digest-6"));
    await putTrigger("durable", { template: "digest-6", auth: "token", batch: { key: "{{payload.team}}", maxSize: 100, maxWaitMs: 1500 } });
    for (let n = 0; n < 5; n++) expect((await send("durable", { team: "red", n })).status).toBe(202);
    const buffer = triggerBufferStub(env, "durable", "red");
    await evictDurableObject(buffer);
    // A fresh instance, from storage alone.
    expect(await buffer.pending()).toBe(5);
    const log = await deliveriesWhen("durable", (d) => d.length === 5 && d.every((x) => x.executionId !== null));
    const run = await waitFor(log[0]!.executionId!);
    expect((run.params.items as { n: number }[]).map((i) => i.n)).toEqual([0, 1, 2, 3, 4]);
    expect(await buffer.pending()).toBe(0);
  });

  it("the same idempotency key twice starts one execution, at once or through a buffer", async () => {
    await saveTemplate(deploy("deploy-7"));
    await saveTemplate(digest("digest-7"));
    await putTrigger("once", { template: "deploy-7", auth: "token", params: { repo: "{{payload.repo}}" }, idempotencyKey: "{{headers.x-delivery}}" });
    const first = await (await send("once", { repo: "a" }, { "x-delivery": "k-1" })).json<any>();
    const second = await (await send("once", { repo: "a" }, { "x-delivery": "k-1" })).json<any>();
    expect(second).toMatchObject({ accepted: true, duplicate: true, executionId: first.executionId });
    expect((await deliveries("once")).map((d) => d.status)).toEqual(["duplicate", "started"]);

    await putTrigger("once-batched", { template: "digest-7", auth: "token", idempotencyKey: "{{payload.id}}", batch: { maxSize: 2, maxWaitMs: 200 } });
    await send("once-batched", { id: "e-1" });
    expect(await (await send("once-batched", { id: "e-1" })).json()).toMatchObject({ duplicate: true });
    const log = await deliveriesWhen("once-batched", (d) => d.some((x) => x.status === "batched" && x.executionId !== null));
    const run = await waitFor(log.find((d) => d.status === "batched")!.executionId!);
    expect(run.params.items).toEqual([{ id: "e-1" }]);
    expect((await executionsOf("digest-7")).length).toBe(1);
  });

  it("the typed client defines a trigger, sends a signed event and reads the delivery", async () => {
    await saveTemplate(deploy("deploy-9"));
    const client = new BatonClient({ url: "http://baton.test", token: "test-token", fetch: workerFetch });
    const saved = await client.triggers.put("from-client", { template: "deploy-9", auth: "signature", params: { repo: "{{payload.repo}}" } });
    const signedClient = new BatonClient({ url: "http://baton.test", fetch: workerFetch });
    const answer = await signedClient.triggers.send("from-client", { repo: "acme/api" }, { secret: saved.secret! });
    expect((await waitFor(answer.executionId!)).params).toMatchObject({ repo: "acme/api" });
    expect((await client.triggers.list({ template: "deploy-9" })).map((t) => t.name)).toEqual(["from-client"]);
    expect((await client.triggers.deliveries("from-client")).deliveries).toEqual([expect.objectContaining({ status: "started", executionId: answer.executionId })]);
    await client.triggers.remove("from-client");
    await expect(client.triggers.get("from-client")).rejects.toMatchObject({ code: "not_found" });
  });
});
