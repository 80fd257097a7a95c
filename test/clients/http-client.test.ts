/**
 * Proves the typed HTTP client (`shared/client`) against the real API: typed answers, refusals as
 * `BatonError` with code, status and details, and an execution's event stream followed to its end
 * across connections dropped mid-event, resuming with `Last-Event-ID` so that no event is lost or
 * repeated. The client's fetch is the Worker's own fetch handler, wrapped to cut connections.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BatonClient, BatonError, type Fetch } from "#shared/client/index.ts";
import { TEST_TOKEN } from "../support/api.ts";

const apiFetch: Fetch = (input, init) => exports.default.fetch(new Request(input, init));
const baton = new BatonClient({ url: "http://baton.test", token: TEST_TOKEN, fetch: apiFetch });

async function refusal(call: Promise<unknown>): Promise<BatonError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatonError);
  return error as BatonError;
}

/**
 * A fetch whose event streams break: the first `drops` connections to an events endpoint are cut in the
 * middle of their `cutAfter`-th event frame (after its id line, before its data), as a proxy resetting
 * the connection would. Records the Last-Event-ID each connection asked with.
 */
function flakyFetch(drops: number, cutAfter: number) {
  const lastEventIds: (string | null)[] = [];
  let dropped = 0;
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await apiFetch(request);
    if (!new URL(request.url).pathname.endsWith("/events")) return response;
    lastEventIds.push(request.headers.get("last-event-id"));
    if (dropped >= drops || !response.body) return response;
    dropped++;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let buffer = "";
    let events = 0;
    let broken = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (broken) return controller.error(new Error("connection reset by peer"));
        const { done, value } = await reader.read();
        if (done) return controller.close();
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith("id: ") && ++events === cutAfter) {
            // Half of this frame gets through, then the connection breaks: at the next read, so that what
            // arrived before the break (a server may send several frames in one chunk) is read first.
            controller.enqueue(encoder.encode(frame.slice(0, frame.indexOf("\n") + 1)));
            await reader.cancel();
            broken = true;
            return;
          }
          controller.enqueue(encoder.encode(`${frame}\n\n`));
        }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch, lastEventIds };
}

describe("BatonClient", () => {
  it("answers with typed values and refuses with BatonError", async () => {
    expect((await baton.health()).status).toBe("ok");
    const saved = await baton.templates.save({ id: "client-hello", name: "Hello", steps: [{ id: "a", agent: "echo", input: { value: 1 } }] });
    expect(saved).toMatchObject({ id: "client-hello", version: 1, created: true });
    expect((await baton.templates.list()).map((t) => t.id)).toContain("client-hello");

    const invalid = await refusal(baton.templates.save({ id: "client-bad", name: "Bad", steps: [{ id: "a", agent: "nobody" }] }));
    expect(invalid).toMatchObject({ code: "validation_failed", status: 422 });
    expect(invalid.details).toEqual([expect.objectContaining({ path: "steps.0.agent" })]);
    expect(await refusal(baton.executions.get("ex_00000000000000000000"))).toMatchObject({ code: "not_found", status: 404 });

    const wrongToken = new BatonClient({ url: "http://baton.test/v1", token: "nope", fetch: apiFetch });
    expect(await refusal(wrongToken.templates.list())).toMatchObject({ code: "unauthorized", status: 401 });
    const unreachable = new BatonClient({ url: "http://baton.test", fetch: () => Promise.reject(new TypeError("connection refused")) });
    expect(await refusal(unreachable.health())).toMatchObject({ code: "unavailable", status: 0 });

    const { id } = await baton.executions.start({ template: "client-hello" });
    const events = [];
    for await (const event of baton.executions.events(id)) events.push(event);
    expect(events.at(-1)?.type).toBe("execution.completed");
    expect((await baton.executions.get(id)).status).toBe("completed");
    expect((await baton.executions.list({ template: "client-hello", status: ["completed"] })).executions.map((e) => e.id)).toEqual([id]);
  });

  it("follows a live execution across dropped connections: every event once, in order", async () => {
    await baton.templates.save({ id: "client-ticks", name: "Ticks", steps: [{ id: "a", agent: "echo", input: { progress: 6, delayMs: 600 } }, { id: "b", agent: "echo", needs: ["a"] }] });
    const { id } = await baton.executions.start({ template: "client-ticks" });
    const flaky = flakyFetch(3, 3);
    const client = new BatonClient({ url: "http://baton.test", token: TEST_TOKEN, fetch: flaky.fetch });
    const reconnects: number[] = [];
    const seen = [];
    for await (const event of client.executions.events(id, { retryDelayMs: () => 10, onReconnect: ({ after }) => reconnects.push(after) })) {
      seen.push(event);
    }

    const all = [];
    for await (const event of baton.executions.events(id)) all.push(event);
    expect(all.at(-1)?.type).toBe("execution.completed");
    expect(seen).toEqual(all);
    // Three cuts, each in the middle of the third event of its connection, each resumed after the last whole event.
    expect(reconnects).toEqual([2, 4, 6]);
    expect(flaky.lastEventIds).toEqual([null, "2", "4", "6"]);
  });

  it("stops at once on a refusal no reconnect can fix", async () => {
    const error = await refusal(
      (async () => {
        for await (const _ of baton.executions.events("ex_00000000000000000000")) void _;
      })(),
    );
    expect(error.code).toBe("not_found");
  });
});
