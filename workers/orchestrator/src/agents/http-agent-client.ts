/**
 * Talking to an HTTP agent (DESIGN.md "Agent contract": `GET /health`, `GET /describe`, `POST /run`).
 * Requests go only to the registered base URL and never follow a redirect, so an agent cannot send Baton
 * somewhere that was not registered. A run answers like a service-binding call: 2xx with `{ output }` is a
 * result; a NonRetryableError, a redirect or a 4xx fails the step; a 5xx, 408, 429, a network failure or
 * the timeout fails the attempt, which the step's retry policy may try again (same idempotency key,
 * sent in the task and as the `Idempotency-Key` header). Answers are read up to MAX_ANSWER_BYTES; a streamed
 * answer (http-agent-stream.ts) passes its chunks on as they arrive.
 */
import type { AgentResult, AgentTask, AgentUsage } from "#shared/agent.ts";
import type { AttemptOutcome } from "../execution/agent-call.ts";
import { isStreamedAnswer, readStreamedAnswer } from "./http-agent-stream.ts";

const MAX_MESSAGE = 2000;
/** An answer larger than this is refused unread: a step's output is stored with the step, and must stay small. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;

export type JsonAnswer =
  | { ok: true; status: number; body: unknown; latencyMs: number }
  | { ok: false; message: string; latencyMs: number | null };

/** `GET {baseUrl}{path}` answered with JSON (any status), or why it was not. */
export async function getAgentJson(baseUrl: string, path: "/health" | "/describe", timeoutMs: number): Promise<JsonAnswer> {
  const target = `${baseUrl}${path}`;
  const startedAt = Date.now();
  let response: Response;
  try {
    response = await fetch(target, { headers: { accept: "application/json" }, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      latencyMs: null,
      message: timedOut ? `GET ${target} did not answer within ${timeoutMs} ms` : `GET ${target} could not be reached: ${errorText(error)}`,
    };
  }
  const latencyMs = Date.now() - startedAt;
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    return { ok: false, latencyMs, message: `GET ${target} redirected to ${response.headers.get("location") ?? "elsewhere"}; register the URL it redirects to` };
  }
  const text = await readCapped(response);
  if (text === null) return { ok: false, latencyMs, message: `GET ${target} answered with more than ${MAX_ANSWER_BYTES} bytes` };
  try {
    return { ok: true, status: response.status, body: JSON.parse(text), latencyMs };
  } catch {
    return { ok: false, latencyMs, message: `GET ${target} answered HTTP ${response.status} with something that is not JSON: ${snippet(text)}` };
  }
}

/** One attempt: `POST {baseUrl}/run` with the task (callbacks cannot cross HTTP), within `timeoutMs`. */
export async function runHttpAgent(baseUrl: string, task: AgentTask, timeoutMs: number): Promise<AttemptOutcome> {
  const { progress: _progress, log: _log, stream: _stream, ...body } = task;
  const target = `${baseUrl}/run`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(target, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream, application/x-ndjson",
        "idempotency-key": task.idempotencyKey,
      },
      body: JSON.stringify(body),
      redirect: "manual",
      signal: controller.signal,
    });
    const format = response.ok && response.body ? isStreamedAnswer(response.headers.get("content-type")) : null;
    if (format) return await streamedOutcome(response.body!, format, task, response.status);
    const text = await readCapped(response);
    if (text === null) {
      const message = `The agent answered with more than ${MAX_ANSWER_BYTES} bytes; return large artifacts by reference (a URL) instead.`;
      return { ok: false, retryable: false, error: { code: "result_too_large", message } };
    }
    return runOutcome(response.status, response.headers.get("location"), text);
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, retryable: true, error: { code: "timeout", message: `The attempt took longer than ${timeoutMs} ms.` } };
    }
    return { ok: false, retryable: true, error: { code: "agent_unreachable", message: `POST ${target} could not be reached: ${errorText(error)}` } };
  } finally {
    clearTimeout(timer);
  }
}

/** A streamed answer: its chunks went to the task as they came; its `result` (or `error`) settles the attempt. */
async function streamedOutcome(body: ReadableStream<Uint8Array>, format: "sse" | "ndjson", task: AgentTask, status: number): Promise<AttemptOutcome> {
  const answer = await readStreamedAnswer(body, format, (chunk) => void task.stream?.(chunk), MAX_ANSWER_BYTES);
  switch (answer.kind) {
    case "result":
      return runOutcome(status, null, answer.text);
    case "error":
      return runOutcome(500, null, JSON.stringify({ error: JSON.parse(answer.text) }));
    case "too-large":
      return { ok: false, retryable: false, error: { code: "result_too_large", message: `The agent streamed more than ${MAX_ANSWER_BYTES} bytes; stream less, or return large artifacts by reference.` } };
    case "no-result":
      return { ok: false, retryable: true, error: { code: "invalid_agent_result", message: `The agent's ${format === "sse" ? "event stream" : "NDJSON stream"} ended without a result message.` } };
  }
}

/** What an answer to `POST /run` means for the step. */
export function runOutcome(status: number, location: string | null, text: string): AttemptOutcome {
  if (status >= 200 && status < 300) {
    const body = parseJson(text);
    if (typeof body !== "object" || body === null || !("output" in body)) {
      return { ok: false, retryable: false, error: { code: "invalid_agent_result", message: `The agent answered HTTP ${status} without an { output } object: ${snippet(text)}` } };
    }
    const result: AgentResult = { output: (body as { output: unknown }).output };
    const usage = cleanUsage((body as { usage?: unknown }).usage);
    if (usage) result.usage = usage;
    return { ok: true, result };
  }
  if (status >= 300 && status < 400) {
    return {
      ok: false,
      retryable: false,
      error: { code: "agent_redirected", message: `The agent redirected to ${location ?? "elsewhere"}; Baton calls only registered URLs, so register that one.` },
    };
  }
  const { message, name } = errorOf(text);
  const detail = `HTTP ${status}: ${message}`.slice(0, MAX_MESSAGE);
  if (name === "NonRetryableError") return { ok: false, retryable: false, error: { code: "non_retryable", message: detail } };
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, retryable, error: { code: retryable ? "agent_error" : "non_retryable", message: detail } };
}

/** The API's error format (`{ error: { message, details: { name } } }`, what `serveAgentHttp` sends), or the raw text. */
function errorOf(text: string): { message: string; name: string | null } {
  const body = parseJson(text) as { error?: { message?: unknown; details?: { name?: unknown } } } | undefined;
  const error = typeof body === "object" && body !== null ? body.error : undefined;
  if (error && typeof error.message === "string") {
    return { message: error.message, name: typeof error.details?.name === "string" ? error.details.name : null };
  }
  return { message: text.trim() ? snippet(text) : "(no body)", name: null };
}

/** Usage from outside the account: only finite, non-negative numbers count, so costs cannot turn NaN. */
function cleanUsage(raw: unknown): AgentUsage | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const usage: AgentUsage = {};
  for (const key of ["inputTokens", "outputTokens", "cachedTokens", "costUsd"] as const) {
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) usage[key] = value;
  }
  const model = (raw as Record<string, unknown>).model;
  if (typeof model === "string" && model.length > 0) usage.model = model.slice(0, 200);
  return Object.keys(usage).length > 0 ? usage : undefined;
}

/** The body as text, or null once it exceeds MAX_ANSWER_BYTES (the rest is not read). */
async function readCapped(response: Response): Promise<string | null> {
  if (Number(response.headers.get("content-length")) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat);
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_MESSAGE);
}
