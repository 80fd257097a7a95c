/**
 * Proves how an answer to `POST {url}/run` is read: a result with its usage (cleaned of anything that is
 * not a non-negative number), and failures sorted into "retry" (5xx, 408, 429) and "fail the step"
 * (NonRetryableError, other 4xx, redirects, no `{ output }`), with the agent's own message. The requests
 * themselves are proven against a real HTTP agent in test/agents/http-steps.test.ts.
 */
import { describe, expect, it } from "vitest";
import { runOutcome } from "./http-agent-client.ts";

const apiError = (message: string, name?: string) => JSON.stringify({ error: { code: "x", message, ...(name ? { details: { name } } : {}) } });

describe("runOutcome", () => {
  it("reads a result and its usage", () => {
    expect(runOutcome(200, "elsewhere", JSON.stringify({ output: { a: 1 }, usage: { costUsd: 0.5, inputTokens: 10, outputTokens: "many", cachedTokens: -1 } }))).toEqual({
      ok: true,
      result: { output: { a: 1 }, usage: { costUsd: 0.5, inputTokens: 10 } },
    });
    expect(runOutcome(200, "elsewhere", JSON.stringify({ output: null }))).toEqual({ ok: true, result: { output: null } });
  });

  it("fails the step on an answer without { output }", () => {
    expect(runOutcome(200, "elsewhere", "<html>")).toMatchObject({ ok: false, retryable: false, error: { code: "invalid_agent_result" } });
    expect(runOutcome(204, "elsewhere", "")).toMatchObject({ ok: false, retryable: false });
  });

  it("retries server errors, timeouts and rate limits, with the agent's message", () => {
    expect(runOutcome(500, "elsewhere", apiError("database down"))).toEqual({ ok: false, retryable: true, error: { code: "agent_error", message: "HTTP 500: database down" } });
    expect(runOutcome(503, "elsewhere", "")).toMatchObject({ retryable: true, error: { message: "HTTP 503: (no body)" } });
    expect(runOutcome(408, "elsewhere", "")).toMatchObject({ retryable: true });
  });

  it("never echoes a body that is not Baton's error format, and shortens the agent's own message", () => {
    const leaked = "root:x:0:0:root:/root:/bin/bash\nsecret-token=abc";
    const outcome = runOutcome(429, "elsewhere", leaked);
    expect(outcome).toMatchObject({ retryable: true, error: { message: `HTTP 429: a body that is not Baton's error format (${leaked.length} bytes, not shown)` } });
    expect(JSON.stringify(runOutcome(200, "elsewhere", leaked))).not.toContain("secret-token");
    const long = runOutcome(500, "elsewhere", apiError(`line one\nline two ${"x".repeat(2000)}`));
    expect(!long.ok && long.error.message.length).toBeLessThan(520);
    expect(!long.ok && long.error.message).toMatch(/^HTTP 500: line one line two x+…$/);
  });

  it("fails the step on a NonRetryableError, a client error or a redirect", () => {
    expect(runOutcome(500, "elsewhere", apiError("bad input.theme", "NonRetryableError"))).toEqual({
      ok: false,
      retryable: false,
      error: { code: "non_retryable", message: "HTTP 500: bad input.theme" },
    });
    expect(runOutcome(400, "elsewhere", apiError("input.theme: required"))).toMatchObject({ retryable: false, error: { code: "non_retryable" } });
    expect(runOutcome(302, "https://elsewhere.example/run", "")).toMatchObject({
      retryable: false,
      error: { code: "agent_redirected", message: expect.stringContaining("https://elsewhere.example/run") },
    });
  });
});
