/**
 * Proves the event stream contract: frames carry `id`, `event` and `data`; a finished execution's stream
 * replays and closes; a reconnect with Last-Event-ID (or ?after=) gets exactly the tail of the log, none
 * twice, none lost; a live stream delivers events as they happen and closes after the terminal event.
 */
import { describe, expect, it } from "vitest";
import { api } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { parseSse, readEvents } from "../support/sse.ts";

describe("SSE", () => {
  it("replays a finished execution and closes; Last-Event-ID resumes with the exact tail", async () => {
    await saveTemplate({
      id: "ticks",
      name: "Ticks",
      steps: [
        { id: "a", agent: "echo", input: { progress: 3 } },
        { id: "b", agent: "echo", needs: ["a"], input: { costUsd: 0.01 } },
      ],
    });
    const id = await start("ticks");
    await waitFor(id);
    const response = await api(`/v1/executions/${id}/events`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const all = await readEvents(response);
    const types = all.map((e) => e.type);
    expect(types[0]).toBe("execution.queued");
    expect(types[1]).toBe("execution.started");
    expect(types.filter((t) => t === "step.progress")).toHaveLength(3);
    expect(types).toContain("usage.updated");
    expect(types.at(-1)).toBe("execution.completed");
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all.every((e) => e.data.seq === e.id && e.data.type === e.type && e.data.executionId === id)).toBe(true);

    for (const cut of [1, 4, all.length - 1, all.length]) {
      const tail = await readEvents(await api(`/v1/executions/${id}/events`, { headers: { "last-event-id": String(cut) } }));
      expect(tail).toEqual(all.slice(cut));
      const viaQuery = await readEvents(await api(`/v1/executions/${id}/events?after=${cut}`));
      expect(viaQuery).toEqual(all.slice(cut));
    }
  });

  it("streams a running execution live and closes after the terminal event", async () => {
    await saveTemplate({ id: "live", name: "Live", steps: [{ id: "a", agent: "echo", input: { progress: 4, delayMs: 400 } }] });
    const id = await start("live");
    const response = await api(`/v1/executions/${id}/events`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const arrivals: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      arrivals.push(Date.now());
    }
    const frames = parseSse(text).filter((f) => !f.comment);
    expect(frames.at(-1)?.event).toBe("execution.completed");
    expect(frames.filter((f) => f.event === "step.progress")).toHaveLength(4);
    // Events arrived over time, not in one lump at the end.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(200);
  });

  it("answers 404 for an unknown execution", async () => {
    const response = await api("/v1/executions/ex_000000000000000000/events");
    expect(response.status).toBe(404);
    expect((await response.json<any>()).error.code).toBe("not_found");
  });
});
