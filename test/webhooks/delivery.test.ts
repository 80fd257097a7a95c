/**
 * Proves webhooks end to end: configured endpoints receive execution.completed, execution.failed and
 * approval.required as signed POSTs that a real receiving Worker verifies with the shared secret; a
 * failed attempt is retried on the event hub's alarm until it succeeds, and given up after the last
 * attempt; the delivery log shows each delivery's attempts and outcome; secrets are never shown.
 *
 * The orchestrator's fetches to `https://hooks.test` are handed to the receiver Worker over a service
 * binding (this runtime has no DNS for it); everything else about the delivery is real. Time is moved
 * on by making pending deliveries due in D1 and running the hub's alarm.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { WebhookDelivery } from "#shared/api/webhooks.ts";
import { firstControlShard } from "../../workers/orchestrator/src/control-plane/control-shards.ts";
import { MAX_ATTEMPTS } from "../../workers/orchestrator/src/webhooks/retry-delays.ts";
import { apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventually } from "../support/eventually.ts";

const secret = env.TEST_WEBHOOK_SECRET;

beforeAll(() => {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const request = new Request(input, init);
    return new URL(request.url).hostname === "hooks.test" ? env.WEBHOOK_RECEIVER.fetch(request) : realFetch(request);
  });
});
afterAll(() => vi.restoreAllMocks());

interface Received {
  delivery: string;
  attempt: number;
  type: string;
  verified: boolean;
  answered: number;
  body: Record<string, any>;
}

async function received(name: string): Promise<Received[]> {
  return (await env.WEBHOOK_RECEIVER.fetch(`https://hooks.test/received/${name}`)).json();
}

async function deliveries(query = ""): Promise<WebhookDelivery[]> {
  return (await apiJson<{ deliveries: WebhookDelivery[] }>(`/v1/webhooks/deliveries${query}`)).deliveries;
}

/** Makes every pending delivery due now and runs the hub's alarm, as if the retry delay had passed. */
async function retryNow(): Promise<void> {
  await env.DB.prepare("UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE status = 'pending'").run();
  expect(await runDurableObjectAlarm(firstControlShard(env) as unknown as DurableObjectStub)).toBe(true);
}

describe("webhooks", () => {
  it("keeps secrets write-only and validates endpoints", async () => {
    const saved = await apiJson("/v1/webhooks", {
      method: "PUT",
      body: { endpoints: [{ id: "ops", url: "https://hooks.test/hooks/ops?fail=2", secret, events: ["execution.completed", "execution.failed"] }] },
    });
    expect(saved).toEqual({
      endpoints: [{ id: "ops", url: "https://hooks.test/hooks/ops?fail=2", events: ["execution.completed", "execution.failed"], enabled: true, secretHint: `…${secret.slice(-4)}` }],
    });
    expect(JSON.stringify(await apiJson("/v1/webhooks"))).not.toContain(secret);

    const refused = await apiJson<{ error: { code: string; details: { path: string }[] } }>("/v1/webhooks", {
      method: "PUT",
      expect: 422,
      body: { endpoints: [{ id: "new", url: "ftp://hooks.test/x" }, { id: "new2", url: "https://hooks.test/new2" }] },
    });
    expect(refused.error.details.map((d) => d.path)).toEqual(["endpoints.0.url"]);
    const noSecret = await apiJson<{ error: { details: { path: string }[] } }>("/v1/webhooks", {
      method: "PUT",
      expect: 422,
      body: { endpoints: [{ id: "new", url: "https://hooks.test/new" }] },
    });
    expect(noSecret.error.details).toEqual([{ path: "endpoints.0.secret", message: expect.stringContaining("secret") }]);
  });

  it("delivers signed events, retries failed attempts on the alarm, and logs every delivery", async () => {
    await apiJson("/v1/webhooks", {
      method: "PUT",
      body: {
        endpoints: [
          // No secret: the endpoint keeps the one it was saved with above.
          { id: "ops", url: "https://hooks.test/hooks/ops?fail=2", events: ["execution.completed", "execution.failed"] },
          { id: "approvals", url: "https://hooks.test/hooks/approvals", secret, events: ["approval.required"] },
        ],
      },
    });
    await saveTemplate({ id: "hooked", name: "Hooked", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    const id = await start("hooked");
    await waitFor(id);

    // First attempt at once, refused (fail=2): pending, due again in 10 s.
    const [first] = await eventually(() => deliveries(), (d) => d.length === 1 && d[0]!.attempts === 1);
    expect(first).toMatchObject({ event: "execution.completed", status: "pending", attempts: 1, lastStatusCode: 503, url: "https://hooks.test/hooks/ops?fail=2" });
    expect(first!.nextAttemptAt! - first!.updatedAt).toBeGreaterThanOrEqual(9_000);

    await retryNow();
    expect((await deliveries())[0]).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 503 });
    await retryNow();
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200, nextAttemptAt: null, lastError: null });

    const got = await received("ops");
    expect(got.map((r) => [r.attempt, r.answered, r.verified])).toEqual([
      [1, 503, true],
      [2, 503, true],
      [3, 200, true],
    ]);
    // One delivery id on every attempt, so a receiver can drop duplicates.
    expect(new Set(got.map((r) => r.delivery))).toEqual(new Set([first!.id]));
    expect(got[2]!.body).toMatchObject({ id: first!.id, type: "execution.completed", executionId: id, data: { output: { a: { value: 1 } } } });
  });

  it("sends execution.failed and approval.required to the endpoints subscribed to them", async () => {
    await saveTemplate({ id: "fails", name: "Fails", steps: [{ id: "a", agent: "echo", input: { fail: { times: 1, retryable: false } } }] });
    await saveTemplate({ id: "asks", name: "Asks", steps: [{ id: "ok", type: "approval", message: "Ship it?" }] });
    const failed = await start("fails");
    const asking = await start("asks");
    await waitFor(failed);
    await waitFor(asking, (e) => e.status === "waiting");

    const approvals = await eventually(() => received("approvals"), (r) => r.length === 1);
    expect(approvals[0]).toMatchObject({ type: "approval.required", verified: true, answered: 200, body: { executionId: asking, data: { stepId: "ok", message: "Ship it?" } } });
    await eventually(
      () => deliveries("?event=execution.failed"),
      (d) => d.length === 1 && d[0]!.attempts === 1,
    );
    await retryNow();
    await retryNow();
    const [failedDelivery] = await deliveries("?event=execution.failed");
    expect(failedDelivery).toMatchObject({ status: "delivered", attempts: 3, payload: { type: "execution.failed", executionId: failed } });
  });

  it("gives up after the last attempt", async () => {
    await apiJson("/v1/webhooks", { method: "PUT", body: { endpoints: [{ id: "down", url: "https://hooks.test/hooks/down?fail=1000", secret, events: ["execution.completed"] }] } });
    await saveTemplate({ id: "unheard", name: "Unheard", steps: [{ id: "a", agent: "echo" }] });
    const id = await start("unheard");
    await waitFor(id);
    const [delivery] = await eventually(() => deliveries("?status=pending"), (d) => d.some((x) => x.payload.executionId === id));
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) await retryNow();
    const row = (await deliveries()).find((d) => d.id === delivery!.id);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastStatusCode: 503, nextAttemptAt: null });
    expect((await received("down")).length).toBe(MAX_ATTEMPTS);
  });
});
