/**
 * Proves the optional OpenTelemetry export end to end: with no `otel.endpoint` nothing is queued or
 * sent; with one, an execution of a DAG (a fan-in after two branches, a retried step, a sub-pipeline)
 * arrives at a real OTLP receiver Worker as one trace whose spans nest as the DAG runs (execution >
 * step > attempt, the sub-pipeline's execution under its step, `needs` as links), with agent, attempt,
 * status, error, GenAI token counts and cost, the secret's headers and the configured service name; a
 * collector that answers 503 gets the batch again.
 *
 * The orchestrator's fetches to `https://otel.test` are handed to the receiver Worker over a service
 * binding (this runtime has no DNS for it); everything else about the export is real.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { traceExporter } from "../../workers/orchestrator/src/telemetry/trace-exporter-do.ts";
import { apiJson } from "../support/api.ts";
import { historyInD1, saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventually } from "../support/eventually.ts";

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code: number; message?: string };
  links?: { traceId: string; spanId: string }[];
}

interface Received {
  headers: Record<string, string>;
  serviceName: string | null;
  spans: Span[];
}

beforeAll(() => {
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const request = new Request(input, init);
    return new URL(request.url).hostname === "otel.test" ? env.OTLP_RECEIVER.fetch(request) : realFetch(request);
  });
});
afterAll(() => vi.restoreAllMocks());

async function received(name: string): Promise<Received[]> {
  return (await env.OTLP_RECEIVER.fetch(`https://otel.test/received/${name}`)).json();
}

function attr(span: Span, key: string): unknown {
  const value = span.attributes.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  const [kind, raw] = Object.entries(value)[0]!;
  return kind === "intValue" ? Number(raw) : raw;
}

async function configure(otel: { endpoint: string | null; serviceName?: string }): Promise<void> {
  await apiJson("/v1/config", { method: "PUT", body: { otel } });
}

describe("OpenTelemetry export", () => {
  it("exports nothing while otel.endpoint is not set", async () => {
    await saveTemplate({ id: "quiet", name: "Quiet", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    expect((await apiJson("/v1/config")).otel).toEqual({ endpoint: null, serviceName: "baton" });
    await waitFor(await start("quiet"));
    await historyInD1();
    await new Promise((r) => setTimeout(r, 300));
    expect(await traceExporter(env).pending()).toBe(0);
    expect(await received("quiet")).toEqual([]);
  });

  it("refuses an endpoint that is not an http(s) URL, naming the field", async () => {
    const answer = await apiJson<{ error: { details: { path: string }[] } }>("/v1/config", {
      method: "PUT",
      body: { otel: { endpoint: "ftp://collector" } },
      expect: 422,
    });
    expect(answer.error.details.map((d) => d.path)).toEqual(["otel.endpoint"]);
  });

  it("exports an execution as one trace whose spans nest as the DAG ran, with their attributes", async () => {
    await configure({ endpoint: "https://otel.test/otlp/dag", serviceName: "baton-test" });
    await saveTemplate({ id: "otel-child", name: "Child", steps: [{ id: "inner", agent: "echo", input: { value: "in" } }] });
    await saveTemplate({
      id: "otel-dag",
      name: "Traced DAG",
      steps: [
        { id: "scout", agent: "market-scout", input: { theme: "tide pools" } },
        { id: "flaky", agent: "echo", needs: ["scout"], input: { fail: { times: 1 } }, retry: { limit: 2, delayMs: 10 } },
        { id: "paid", agent: "echo", needs: ["scout"], input: { value: 2, costUsd: 0.125 } },
        { id: "join", type: "pipeline", template: "otel-child", needs: ["flaky", "paid"] },
      ],
    });
    const id = await start("otel-dag");
    expect((await waitFor(id)).status).toBe("completed");

    // The parent and its sub-pipeline are exported as each ends (their ends reach D1 through their own
    // control shards, so either may go first): wait for both.
    const exported = (got: Awaited<ReturnType<typeof received>>, template: string) => got.flatMap((r) => r.spans).some((s) => attr(s, "baton.template.id") === template);
    const requests = await eventually(() => received("dag"), (got) => exported(got, "otel-dag") && exported(got, "otel-child"), 10_000);
    expect(requests[0]!.headers).toMatchObject({ "x-otlp-key": "s3cret key", "x-dataset": "baton", "content-type": "application/json" });
    expect(requests[0]!.serviceName).toBe("baton-test");
    const spans = requests.flatMap((r) => r.spans);
    const byName = (name: string) => spans.filter((s) => s.name === name);

    const root = byName("execution otel-dag")[0]!;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.status.code).toBe(1);
    expect(attr(root, "baton.execution.id")).toBe(id);
    expect(attr(root, "baton.cost_usd")).toBe(0.125 + Number(attr(byName("step scout")[0]!, "baton.cost_usd") ?? 0));
    // Every span of the execution, and of its sub-pipeline, is in one trace.
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);

    const step = (stepId: string) => byName(`step ${stepId}`).find((s) => attr(s, "baton.execution.id") === id)!;
    for (const stepId of ["scout", "flaky", "paid", "join"]) expect(step(stepId).parentSpanId).toBe(root.spanId);
    expect(step("join").links?.map((l) => l.spanId).sort()).toEqual([step("flaky").spanId, step("paid").spanId].sort());
    expect(step("flaky").links?.map((l) => l.spanId)).toEqual([step("scout").spanId]);

    const attempts = (stepId: string) => spans.filter((s) => s.parentSpanId === step(stepId).spanId).sort((a, b) => Number(attr(a, "baton.attempt")) - Number(attr(b, "baton.attempt")));
    const [failed, retried] = attempts("flaky");
    expect(attempts("flaky")).toHaveLength(2);
    expect(failed!.name).toBe("invoke_agent echo");
    expect(failed).toMatchObject({ status: { code: 2, message: expect.stringContaining("fails as asked") } });
    expect([attr(failed!, "baton.agent"), attr(failed!, "baton.attempt"), attr(failed!, "baton.status")]).toEqual(["echo", 1, "failed"]);
    expect(attr(failed!, "baton.error")).toEqual(expect.stringContaining("attempt 1 fails as asked"));
    expect([attr(retried!, "baton.attempt"), attr(retried!, "baton.status"), retried!.status.code]).toEqual([2, "completed", 1]);
    expect(BigInt(failed!.endTimeUnixNano) <= BigInt(retried!.startTimeUnixNano)).toBe(true);

    const [scouting] = attempts("scout");
    expect(attr(scouting!, "gen_ai.usage.input_tokens")).toEqual(expect.any(Number));
    expect(Number(attr(scouting!, "gen_ai.usage.output_tokens"))).toBeGreaterThan(0);
    expect(attr(attempts("paid")[0]!, "baton.cost_usd")).toBe(0.125);

    // The sub-pipeline's execution hangs under the step that ran it, its own steps under it.
    const child = byName("execution otel-child")[0]!;
    expect(child.parentSpanId).toBe(step("join").spanId);
    expect(child.traceId).toBe(root.traceId);
    const inner = byName("step inner")[0]!;
    expect(inner.parentSpanId).toBe(child.spanId);
    expect(spans.some((s) => s.parentSpanId === inner.spanId && attr(s, "baton.agent") === "echo")).toBe(true);
    // Children start within their parents.
    expect(BigInt(step("scout").startTimeUnixNano) >= BigInt(root.startTimeUnixNano)).toBe(true);
    expect(BigInt(step("join").endTimeUnixNano) <= BigInt(root.endTimeUnixNano)).toBe(true);
  });

  it("sends a batch again when the collector answers 503", async () => {
    await configure({ endpoint: "https://otel.test/otlp/busy?fail=1" });
    await saveTemplate({ id: "otel-busy", name: "Busy collector", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    const id = await start("otel-busy");
    await waitFor(id);
    const requests = await eventually(() => received("busy"), (got) => got.length > 0, 15_000);
    expect(requests.flatMap((r) => r.spans).map((s) => s.name).sort()).toEqual(["execution otel-busy", "invoke_agent echo", "step a"]);
    await configure({ endpoint: null });
  });
});
