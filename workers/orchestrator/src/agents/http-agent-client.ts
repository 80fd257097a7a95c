/**
 * Talking to an HTTP agent (docs/architecture.md "Agent contract": `GET /health`, `GET /describe`, `POST /run`).
 * Requests go only to the registered base URL, only where the outbound policy allows (outbound/policy.ts),
 * and never follow a redirect, so an agent cannot send Baton somewhere that was not registered. Every
 * `POST /run` is signed with the agent's secret (`Baton-Signature`, the webhook scheme), so the agent can
 * tell Baton from anyone else who knows its URL. A run answers like a service-binding call: 2xx with
 * `{ output }` is a result; a NonRetryableError, a redirect or a 4xx fails the step; a 5xx, 408, 429, a
 * network failure or the timeout fails the attempt, which the step's retry policy may try again (same
 * idempotency key, sent in the task and as the `Idempotency-Key` header). Answers are read up to a cap,
 * and what is shown back says what went wrong without echoing the body: only the `error.message` of
 * Baton's own error format, shortened, is passed on. A streamed answer (`text/event-stream` or NDJSON,
 * http-agent-stream.ts) passes its chunks on as they arrive and settles with its `result` message.
 */
import type { AgentResult, AgentTask, AgentUsage } from "#shared/agent.ts";
import { SIGNATURE_HEADER, signWebhook } from "#shared/webhook-signature.ts";
import type { AttemptOutcome } from "../execution/agent-call.ts";
import { checkOutbound, type OutboundPolicy } from "../outbound/policy.ts";
import { readCapped } from "#shared/read-capped.ts";
import { isStreamedAnswer, readStreamedAnswer } from "./http-agent-stream.ts";

/** The agent's own error message, as far as it is passed on into a step's error. */
const MAX_MESSAGE = 500;
/** An answer larger than this is refused unread: a step's output is stored with the step, and must stay small. */
export const MAX_ANSWER_BYTES = 2 * 1024 * 1024;
/** `/health` and `/describe` are small documents. */
export const MAX_PROBE_BYTES = 256 * 1024;

export type JsonAnswer =
  | { ok: true; status: number; body: unknown; latencyMs: number }
  | { ok: false; message: string; latencyMs: number | null };

/** `GET {baseUrl}{path}` answered with JSON (any status), or why it was not. */
export async function getAgentJson(baseUrl: string, path: "/health" | "/describe", timeoutMs: number, policy: OutboundPolicy): Promise<JsonAnswer> {
  const target = `${baseUrl}${path}`;
  const allowed = await checkOutbound(new URL(target), policy);
  if (!allowed.ok) return { ok: false, latencyMs: null, message: `GET ${target} was not sent: ${allowed.message}` };
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
    return { ok: false, latencyMs, message: `GET ${target} redirected (HTTP ${response.status}) to ${locationOf(response)}; register the URL it redirects to` };
  }
  const text = await readCapped(response, MAX_PROBE_BYTES);
  if (text === null) return { ok: false, latencyMs, message: `GET ${target} answered with more than ${MAX_PROBE_BYTES} bytes` };
  try {
    return { ok: true, status: response.status, body: JSON.parse(text), latencyMs };
  } catch {
    return { ok: false, latencyMs, message: `GET ${target} answered HTTP ${response.status} with something that is not JSON (${text.length} bytes, not shown)` };
  }
}

/** One attempt: `POST {baseUrl}/run` with the task (callbacks cannot cross HTTP), signed, within `timeoutMs`. */
export async function runHttpAgent(baseUrl: string, task: AgentTask, timeoutMs: number, secret: string | null, policy: OutboundPolicy): Promise<AttemptOutcome> {
  const { progress: _progress, log: _log, stream: _stream, ...body } = task;
  const target = `${baseUrl}/run`;
  const allowed = await checkOutbound(new URL(target), policy);
  if (!allowed.ok) return { ok: false, retryable: false, error: { code: "outbound_refused", message: `POST ${target} was not sent: ${allowed.message}.` } };
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json, text/event-stream, application/x-ndjson",
    "idempotency-key": task.idempotencyKey,
  };
  if (secret) headers[SIGNATURE_HEADER] = await signWebhook(secret, payload, Math.floor(Date.now() / 1000));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(target, { method: "POST", headers, body: payload, redirect: "manual", signal: controller.signal });
    const format = response.ok && response.body ? isStreamedAnswer(response.headers.get("content-type")) : null;
    if (format) return await streamedOutcome(response.body!, format, task, response.status);
    const text = await readCapped(response, MAX_ANSWER_BYTES);
    if (text === null) {
      const message = `The agent answered with more than ${MAX_ANSWER_BYTES} bytes; return large artifacts by reference (a URL) instead.`;
      return { ok: false, retryable: false, error: { code: "result_too_large", message } };
    }
    return runOutcome(response.status, locationOf(response), text);
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
      return { ok: false, retryable: false, error: { code: "invalid_agent_result", message: `The agent answered HTTP ${status} without an { output } object (${text.length} bytes, not shown).` } };
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
      error: { code: "agent_redirected", message: `The agent redirected to ${location}; Baton calls only registered URLs, so register that one.` },
    };
  }
  const { message, name } = errorOf(text);
  const detail = `HTTP ${status}: ${message}`;
  if (name === "NonRetryableError") return { ok: false, retryable: false, error: { code: "non_retryable", message: detail } };
  const retryable = status >= 500 || status === 408 || status === 429;
  return { ok: false, retryable, error: { code: retryable ? "agent_error" : "non_retryable", message: detail } };
}

/**
 * The message of the API's error format (`{ error: { message, details: { name } } }`, what
 * `serveAgentHttp` sends), shortened and on one line; any other body is described, never shown.
 */
function errorOf(text: string): { message: string; name: string | null } {
  const body = parseJson(text) as { error?: { message?: unknown; details?: { name?: unknown } } } | undefined;
  const error = typeof body === "object" && body !== null ? body.error : undefined;
  if (error && typeof error.message === "string") {
    return { message: oneLine(error.message, MAX_MESSAGE), name: typeof error.details?.name === "string" ? error.details.name.slice(0, 100) : null };
  }
  return { message: text.trim() ? `a body that is not Baton's error format (${text.length} bytes, not shown)` : "(no body)", name: null };
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

/** Where a redirect points, when it is a URL at all (a header is no body, but it is still kept short). */
function locationOf(response: Response): string {
  const location = response.headers.get("location");
  if (!location) return "elsewhere";
  try {
    return new URL(location, response.url || "http://invalid").href.slice(0, 200);
  } catch {
    return "an address that is not a URL";
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function errorText(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error), MAX_MESSAGE);
}
