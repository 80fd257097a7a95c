/**
 * Proves every failure answers in the one error format `{ error: { code, message, details? } }` with a
 * fitting status: unknown routes, wrong methods, malformed JSON, non-JSON bodies, oversized bodies and
 * invalid fields (each named by its path).
 */
import { describe, expect, it } from "vitest";
import { api } from "../support/api.ts";

async function errorOf(response: Response) {
  const body = await response.json<any>();
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error.message).toBe("string");
  return { status: response.status, ...body.error };
}

describe("error format", () => {
  it("404 for an unknown route, even without a token", async () => {
    expect(await errorOf(await api("/v1/nothing-here"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await errorOf(await api("/elsewhere", { token: null }))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("405 with Allow for a known path and the wrong method", async () => {
    const response = await api("/v1/health", { method: "DELETE" });
    expect(response.headers.get("allow")).toBe("GET");
    expect(await errorOf(response)).toMatchObject({ status: 405, code: "method_not_allowed" });
  });

  it("400 for malformed JSON", async () => {
    const response = await api("/v1/templates", { body: "{not json" });
    expect(await errorOf(response)).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("415 for a body that is not JSON", async () => {
    const response = await api("/v1/templates", { body: "id=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(await errorOf(response)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it("413 for a body over the limit", async () => {
    const response = await api("/v1/templates", { body: JSON.stringify({ id: "big", name: "x".repeat(1_100_000) }) });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("422 naming every bad field by path", async () => {
    const response = await api("/v1/templates", { body: { id: "Bad Id", name: "", steps: [{ id: "a", agent: 3 }] } });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 422, code: "validation_failed" });
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(["id", "name", "steps.0.agent"]);
    expect(error.message).toContain("invalid");
  });

  it("422 for bad query parameters", async () => {
    const error = await errorOf(await api("/v1/executions?status=nonsense&limit=0"));
    expect(error).toMatchObject({ status: 422, code: "validation_failed" });
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "status"]);
  });
});
