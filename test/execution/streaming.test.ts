/**
 * Proves streamed agent output: 50 chunks sent 20 ms apart reach a live SSE client in order, coalesced
 * into a dozen `step.stream` events or fewer, while the step is still running; a client that drops the
 * connection mid-stream and resumes with Last-Event-ID gets the rest exactly once; and stream events stay
 * off the global `GET /v1/events` feed.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { eventsOfType, parseSse, readEvents } from "../support/sse.ts";

const CHUNKS = Array.from({ length: 50 }, (_, i) => `t${i} `);

interface Received {
  id: number;
  type: string;
  data: { data: Record<string, unknown> };
  receivedAt: number;
}

/** Reads SSE frames as they arrive; stops after `until` says so (or the stream ends). */
async function readLive(response: Response, until: (frames: Received[]) => boolean = () => false): Promise<Received[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Received[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const cut = buffer.lastIndexOf("\n\n");
    if (cut < 0) continue;
    for (const frame of parseSse(buffer.slice(0, cut + 2))) {
      if (!frame.comment) frames.push({ id: Number(frame.id), type: frame.event ?? "", data: JSON.parse(frame.data), receivedAt: Date.now() });
    }
    buffer = buffer.slice(cut + 2);
    if (until(frames)) {
      await reader.cancel();
      break;
    }
  }
  return frames;
}

describe("streamed output", () => {
  it("delivers 50 chunks live, in order, in at most about 12 coalesced events", async () => {
    await saveTemplate({ id: "streamer", name: "Streamer", steps: [{ id: "talk", agent: "echo", input: { stream: CHUNKS, delayMs: 20, value: "done" } }] });
    const id = await start("streamer");
    const frames = await readLive(await api(`/v1/executions/${id}/events`));
    const streamed = frames.filter((f) => f.type === "step.stream");
    expect(streamed.map((f) => f.data.data.chunk).join("")).toBe(CHUNKS.join(""));
    // At most one event per 100 ms (the last one is the flush as the attempt settles): about 12 for the
    // 1 s the chunks take, a few more when a loaded machine stretches the agent's 20 ms waits.
    const started = frames.find((f) => f.type === "step.started")!.data as unknown as { at: number };
    const ats = streamed.map((f) => (f.data as unknown as { at: number }).at);
    const spanMs = ats.at(-1)! - started.at;
    expect(streamed.length).toBeGreaterThanOrEqual(3);
    expect(streamed.length).toBeLessThanOrEqual(Math.max(12, Math.ceil(spanMs / 100) + 1));
    for (let i = 1; i < ats.length - 1; i++) expect(ats[i]! - ats[i - 1]!).toBeGreaterThanOrEqual(95);
    console.log(`50 chunks in ${streamed.length} events over ${spanMs} ms`);
    expect(streamed.every((f) => f.data.data.stepId === "talk" && f.data.data.attempt === 1)).toBe(true);
    // `index` is the agent's count of chunks before each event: increasing, starting at 0.
    const indexes = streamed.map((f) => f.data.data.index as number);
    expect(indexes[0]).toBe(0);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    // Live: the first text arrived well before the step ended.
    const completed = frames.find((f) => f.type === "step.completed")!;
    expect(completed.receivedAt - streamed[0]!.receivedAt).toBeGreaterThan(400);
    expect(completed.data.data.output).toEqual({ value: "done", attempt: 1 });
    // A replay sees exactly the events a live client saw.
    const replay = await readEvents(await api(`/v1/executions/${id}/events`));
    expect(eventsOfType(replay, "step.stream").map((e) => e.data.chunk)).toEqual(streamed.map((f) => f.data.data.chunk));
  });

  it("resumes with Last-Event-ID after a disconnect mid-stream, getting the rest exactly once", async () => {
    await saveTemplate({ id: "streamer2", name: "Streamer", steps: [{ id: "talk", agent: "echo", input: { stream: CHUNKS, delayMs: 20 } }] });
    const id = await start("streamer2");
    const first = await readLive(await api(`/v1/executions/${id}/events`), (frames) => frames.filter((f) => f.type === "step.stream").length >= 2);
    const lastId = first.at(-1)!.id;
    const running = await waitFor(id, () => true);
    expect(running.status).toBe("running");
    const rest = await readLive(await api(`/v1/executions/${id}/events`, { headers: { "last-event-id": String(lastId) } }));
    const all = [...first, ...rest];
    expect(all.map((f) => f.id)).toEqual(all.map((_, i) => i + 1));
    expect(all.filter((f) => f.type === "step.stream").map((f) => f.data.data.chunk).join("")).toBe(CHUNKS.join(""));
    expect(rest.at(-1)!.type).toBe("execution.completed");
  });

  it("keeps stream events off the global feed and out of the state's history rows", async () => {
    await saveTemplate({ id: "streamer3", name: "Streamer", steps: [{ id: "talk", agent: "echo", input: { stream: ["a", "b"], delayMs: 5 } }] });
    const id = await start("streamer3");
    const done = await waitFor(id);
    expect(done.status).toBe("completed");
    const events = await readEvents(await api(`/v1/executions/${id}/events`));
    expect(eventsOfType(events, "step.stream").map((e) => e.data.chunk).join("")).toBe("ab");
    const { lifecycleEventTypes } = await import("#shared/execution.ts");
    expect(lifecycleEventTypes.has("step.stream")).toBe(false);
  });
});

describe("streamed output from HTTP agents", () => {
  it.each(["sse", "ndjson"])("passes on the chunks of a %s answer to /run, and completes with its result", async (format) => {
    await apiJson("/v1/agents", { method: "POST", body: { name: `streaming-${format}`, url: "http://stream.agents.test" }, expect: [201, 200] });
    const chunks = ["Once ", "upon ", "a ", "time"];
    await saveTemplate({ id: `http-stream-${format}`, name: "HTTP stream", steps: [{ id: "tell", agent: `streaming-${format}`, input: { stream: chunks, delayMs: 150, format } }] });
    const done = await waitFor(await start(`http-stream-${format}`));
    expect(done.steps[0]!.error).toBeNull();
    expect(done.status).toBe("completed");
    expect(done.steps[0]!.output).toEqual({ value: "Once upon a time", attempt: 1 });
    expect(done.costUsd).toBeCloseTo(0.001);
    const events = await readEvents(await api(`/v1/executions/${done.id}/events`));
    const streamed = eventsOfType(events, "step.stream");
    expect(streamed.map((e) => e.data.chunk).join("")).toBe("Once upon a time");
    expect(streamed.length).toBeGreaterThanOrEqual(2);
  });
});
