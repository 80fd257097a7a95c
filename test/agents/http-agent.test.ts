/**
 * Proves `serveAgentHttp` serves an agent as an HTTP agent (docs/architecture.md: `GET /describe`, `GET /health`,
 * `POST /run` with a JSON task and no callbacks), here wrapping the real echo binding: results come back
 * as JSON, a NonRetryableError answers 4xx and any other failure 5xx, both naming the error, and requests
 * it does not serve are told what it does serve. It does not prove the orchestrator calls HTTP agents.
 */
import { describe, expect, it } from "vitest";
import { serveAgentHttp } from "#shared/http-agent.ts";
import { agent, taskFor } from "../support/agents.ts";

const echo = agent("echo");
const base = "https://agent.example";

function post(task: unknown): Request {
  return new Request(`${base}/run`, { method: "POST", body: JSON.stringify(task) });
}

describe("serveAgentHttp", () => {
  it("serves describe and health as JSON", async () => {
    const described = await serveAgentHttp(echo, new Request(`${base}/describe`));
    expect(described.status).toBe(200);
    expect(await described.json()).toEqual(await echo.describe());
    const health = await serveAgentHttp(echo, new Request(`${base}/health`));
    expect(await health.json()).toEqual({ ok: true });
  });

  it("runs a JSON task and answers with the result", async () => {
    const response = await serveAgentHttp(echo, post(taskFor({ value: [1, 2], costUsd: 0.5 }, { attempt: 2 })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ output: { value: [1, 2], attempt: 2 }, usage: { costUsd: 0.5 } });
  });

  it("answers 400 for a NonRetryableError and 500 for other failures, naming the error", async () => {
    const permanent = await serveAgentHttp(echo, post(taskFor({ fail: { times: 1, retryable: false } })));
    expect(permanent.status).toBe(400);
    expect(await permanent.json()).toEqual({
      error: { code: "bad_request", message: expect.stringContaining("fails as asked"), details: { name: "NonRetryableError" } },
    });
    const transient = await serveAgentHttp(echo, post(taskFor({ fail: { times: 1 } })));
    expect(transient.status).toBe(500);
    expect(await transient.json()).toMatchObject({ error: { code: "internal", details: { name: "Error" } } });
  });

  it("refuses a body that is not a task, and paths it does not serve", async () => {
    const notJson = await serveAgentHttp(echo, new Request(`${base}/run`, { method: "POST", body: "{" }));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: "invalid_json" } });
    expect((await serveAgentHttp(echo, post([1, 2]))).status).toBe(400);
    const wrongMethod = await serveAgentHttp(echo, new Request(`${base}/run`));
    expect(wrongMethod.status).toBe(405);
    const unknown = await serveAgentHttp(echo, new Request(`${base}/v2/run`, { method: "POST" }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { message: expect.stringContaining("POST /run") } });
  });
});
