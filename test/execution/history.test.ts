/**
 * Proves the history reads D1 only and answers every filter: status, template, agent, time range, text,
 * with cursor paging that neither repeats nor skips; the logs endpoint filters by level, step and text;
 * and GET /v1/events carries every execution's lifecycle.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";
import { saveTemplate, start, waitFor } from "../support/executions.ts";
import { parseSse } from "../support/sse.ts";

const flush = (id: string) => env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)).commitHistory();

describe("history", () => {
  it("filters by status, template, agent, time and text, and pages with a cursor", async () => {
    await saveTemplate({ id: "alpha", name: "Alpha", params: { tag: { type: "string", default: "x" } }, steps: [{ id: "a", agent: "echo", input: { value: "{{params.tag}}" } }] });
    await saveTemplate({ id: "beta", name: "Beta", steps: [{ id: "b", agent: "market-scout", input: { theme: "tea" } }, { id: "c", agent: "echo", needs: ["b"], input: { fail: { times: 9 } } }] });
    const before = Date.now();
    const alphas = [];
    for (const tag of ["red", "green", "blue", "green"]) alphas.push(await start("alpha", { tag }));
    const beta = await start("beta");
    for (const id of [...alphas, beta]) {
      await waitFor(id);
      await flush(id);
    }
    const ids = async (query: string) => (await apiJson(`/v1/executions?${query}`)).executions.map((e: { id: string }) => e.id);
    expect(await ids("template=alpha")).toEqual([...alphas].reverse());
    expect(await ids("status=failed")).toEqual([beta]);
    expect(await ids("status=completed,failed&template=beta")).toEqual([beta]);
    expect(await ids("agent=market-scout")).toEqual([beta]);
    expect(await ids("q=green")).toEqual([alphas[3], alphas[1]]);
    expect(await ids(`since=${before}&template=alpha`)).toHaveLength(4);
    expect(await ids(`until=${before - 1}`)).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { executions: { id: string }[]; nextCursor: string | null } = await apiJson(`/v1/executions?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.executions.length).toBeLessThanOrEqual(2);
      seen.push(...page.executions.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(await ids("limit=200"));
    expect(new Set(seen).size).toBe(seen.length);
    const row = (await apiJson("/v1/executions?template=beta")).executions[0];
    expect(row).toMatchObject({ status: "failed", stepsTotal: 2, stepsDone: 2, error: { code: "agent_error" } });
    expect((await api("/v1/executions?cursor=garbage")).status).toBe(422);
  });

  it("filters logs by level, step and text", async () => {
    await saveTemplate({
      id: "chatty",
      name: "Chatty",
      steps: [
        { id: "scout", agent: "market-scout", input: { theme: "lanterns" } },
        { id: "flaky", agent: "echo", needs: ["scout"], input: { fail: { times: 1 } }, retry: { limit: 1, delayMs: 10 } },
      ],
    });
    const id = await start("chatty");
    await waitFor(id);
    const all = await apiJson(`/v1/executions/${id}/logs`);
    expect(all.logs.length).toBeGreaterThanOrEqual(2);
    const warnings = await apiJson(`/v1/executions/${id}/logs?level=warn`);
    expect(warnings.logs).toEqual([expect.objectContaining({ stepId: "flaky", level: "warn", attempt: 1, message: expect.stringContaining("fails as asked") })]);
    expect((await apiJson(`/v1/executions/${id}/logs?step=scout`)).logs.every((l: { stepId: string }) => l.stepId === "scout")).toBe(true);
    expect((await apiJson(`/v1/executions/${id}/logs?q=FAILS`)).logs).toHaveLength(1);
    expect((await api(`/v1/executions/${id}/logs?level=loud`)).status).toBe(422);
  });

  it("streams every execution's lifecycle on GET /v1/events, resuming after Last-Event-ID", async () => {
    await saveTemplate({ id: "watched", name: "Watched", steps: [{ id: "a", agent: "echo" }] });
    const one = await start("watched");
    await waitFor(one);
    const response = await api("/v1/events");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const two = await start("watched");
    const completedTwo = () =>
      parseSse(text).some((f) => f.event === "execution.completed" && JSON.parse(f.data).executionId === two);
    while (!completedTwo()) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    const frames = parseSse(text).filter((f) => !f.comment);
    const forTwo = frames.filter((f) => JSON.parse(f.data).executionId === two).map((f) => f.event);
    expect(forTwo).toEqual(["execution.queued", "execution.started", "execution.completed"]);
    const ids = frames.map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const lastForOne = frames.filter((f) => JSON.parse(f.data).executionId === one).at(-1)!;
    const resumed = await api("/v1/events", { headers: { "last-event-id": lastForOne.id! } });
    const head = resumed.body!.getReader();
    const firstChunk = decoder.decode((await head.read()).value) + decoder.decode((await head.read()).value);
    await head.cancel();
    expect(firstChunk).not.toContain(`"executionId":"${one}"`);
  });
});
