/**
 * Proves CORS on the public API: with no origins configured every browser origin is refused (its
 * preflight answered 403 in the error format, no CORS headers); an allowed origin's preflight is
 * answered before auth, and its requests get the headers, on errors too; other origins stay refused;
 * requests without an Origin (servers, the CLI) are not affected.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson } from "../support/api.ts";

const allowed = "https://console.example.com";
const other = "https://evil.example.net";

function preflight(origin: string) {
  return api("/v1/executions", {
    method: "OPTIONS",
    token: null,
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
  });
}

describe("CORS", () => {
  it("refuses every origin until one is allowed", async () => {
    const response = await preflight(allowed);
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect((await response.json<any>()).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("PUT /v1/cors") });
    expect((await api("/v1/templates")).status).toBe(200);
  });

  it("answers an allowed origin's preflight and requests, and refuses the others", async () => {
    expect(await apiJson("/v1/cors", { method: "PUT", body: { allowedOrigins: [allowed] } })).toEqual({ allowedOrigins: [allowed] });

    const ok = await preflight(allowed);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");

    const read = await api("/v1/templates", { headers: { origin: allowed } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(read.headers.get("vary")).toContain("Origin");
    const failed = await api("/v1/executions/ex_00000000000000000000", { headers: { origin: allowed } });
    expect(failed.status).toBe(404);
    expect(failed.headers.get("access-control-allow-origin")).toBe(allowed);

    for (const response of [await preflight(other), await api("/v1/templates", { headers: { origin: other } })]) {
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("validates the origins, naming each bad one", async () => {
    const refused = await apiJson<any>("/v1/cors", { method: "PUT", expect: 422, body: { allowedOrigins: ["https://ok.example", "https://bad.example/path"] } });
    expect(refused.error.details).toEqual([{ path: "allowedOrigins.1", message: expect.stringContaining("origin") }]);
  });
});
