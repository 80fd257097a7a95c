/** Proves a trigger's mapping: references over payload and headers only, keys as text, and each miss named by its path. */
import { describe, expect, it } from "vitest";
import { triggerInputSchema } from "#shared/api/triggers.ts";
import { mapEvent, mappingIssues } from "./mapping.ts";

const trigger = (fields: Record<string, unknown>) => triggerInputSchema.parse({ template: "t", auth: "token", ...fields });

describe("trigger mapping", () => {
  it("maps payload fields (keeping their types) and headers, and resolves the keys as text", () => {
    const result = mapEvent(
      trigger({
        params: { repo: "{{payload.repo.name}}", count: "{{payload.n}}", title: "push to {{payload.repo.name}}", kind: "{{headers.x-github-event}}", fixed: 3 },
        debounce: { key: "{{payload.repo}}", periodMs: 100 },
        idempotencyKey: "{{headers.x-github-delivery}}",
      }),
      { payload: { repo: { name: "site" }, n: 4 }, headers: { "x-github-event": "push", "x-github-delivery": "d-9" } },
    );
    expect(result).toEqual({
      ok: true,
      mapped: {
        params: { repo: "site", count: 4, title: "push to site", kind: "push", fixed: 3 },
        bufferKey: '{"name":"site"}',
        idempotencyKey: "d-9",
      },
    });
  });

  it("gives a batch without a key one buffer, and a trigger without either none", () => {
    expect(mapEvent(trigger({ batch: { maxSize: 2, maxWaitMs: 100 } }), { payload: {}, headers: {} })).toMatchObject({ mapped: { bufferKey: "" } });
    expect(mapEvent(trigger({}), { payload: {}, headers: {} })).toMatchObject({ mapped: { bufferKey: null, idempotencyKey: null } });
  });

  it("names each reference that finds nothing", () => {
    const result = mapEvent(trigger({ params: { repo: "{{payload.repo}}" }, idempotencyKey: "{{headers.x-id}}" }), { payload: [], headers: {} });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: "params.repo", message: expect.stringContaining('payload is an array; "repo" is not an index') },
        { path: "idempotencyKey", message: expect.stringContaining('the event has no header "x-id"') },
      ],
    });
  });

  it("refuses template scopes and malformed references in a trigger, at their paths", () => {
    expect(mappingIssues(trigger({ params: { a: "{{params.x}}", b: { c: "{{payload.ok}} {{steps.s.output}}" } }, debounce: { key: "{{payload", periodMs: 10 } }))).toEqual([
      { path: "params.a", message: expect.stringContaining("{{params.x}} cannot be used in a trigger") },
      { path: "params.b.c", message: expect.stringContaining("{{steps.s.output}} cannot be used in a trigger") },
      { path: "debounce.key", message: expect.stringContaining("never closes it") },
    ]);
  });
});
