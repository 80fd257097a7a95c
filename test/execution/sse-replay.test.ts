/**
 * Proves that a long event log replays from storage page by page, in order with no gap and no repeat,
 * both whole and resumed from the middle with Last-Event-ID; and that a forEach's items each cost their
 * own events while the step's progress is coalesced. It does not measure speed (npm run bench does).
 */
import { describe, expect, it } from "vitest";
import { api } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { readEvents } from "../support/sse.ts";

describe("SSE replay of a long log", () => {
  it("streams every event of a 400-item fan-out in pages, whole and from the middle", async () => {
    await saveTemplate({
      id: "wide",
      name: "Wide",
      params: { items: { type: "array", required: true } },
      steps: [{ id: "each", agent: "echo", input: { value: "{{item}}" }, forEach: { items: "{{params.items}}", concurrency: 50 } }],
    });
    const id = await start("wide", { items: Array.from({ length: 400 }, (_, i) => i) });
    const done = await waitFor(id, undefined, 60_000);
    expect(done.status).toBe("completed");
    expect(done.steps[0]!.items).toMatchObject({ total: 400, completed: 400, failed: 0 });
    expect(done.steps[0]!.output).toHaveLength(400);

    const all = await readEvents(await api(`/v1/executions/${id}/events`));
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    const itemEvents = all.filter((e) => e.type === "step.started" && e.data.data.item !== undefined);
    expect(itemEvents).toHaveLength(400);
    // Progress of the step as a whole is coalesced, not one event per item.
    expect(all.filter((e) => e.type === "step.progress" && e.data.data.item === undefined).length).toBeLessThan(100);

    const middle = all[Math.floor(all.length / 2)]!.id;
    const rest = await readEvents(await api(`/v1/executions/${id}/events`, { headers: { "last-event-id": String(middle) } }));
    expect(rest.map((e) => e.id)).toEqual(all.filter((e) => e.id > middle).map((e) => e.id));
  });
});
