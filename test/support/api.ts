/**
 * Calls the orchestrator's public API the way a client does, through its real fetch handler, with the
 * test token (see vitest.config.ts) unless told otherwise.
 */
import { exports } from "cloudflare:workers";

export const TEST_TOKEN = "test-token";

export interface ApiCall {
  method?: string;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
}

export async function api(path: string, call: ApiCall = {}): Promise<Response> {
  const headers: Record<string, string> = { ...call.headers };
  const token = call.token === undefined ? TEST_TOKEN : call.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(new Request(`http://baton.test${path}`, { method: call.method ?? (body ? "POST" : "GET"), headers, body }));
}

/** Calls the API and parses the JSON answer, failing the test with the body when the status differs. */
export async function apiJson<T = any>(path: string, call: ApiCall & { expect?: number | number[] } = {}): Promise<T> {
  const response = await api(path, call);
  const text = await response.text();
  const expected = [call.expect ?? 200].flat();
  if (!expected.includes(response.status)) {
    throw new Error(`${call.method ?? "GET"} ${path}: expected ${expected}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}
