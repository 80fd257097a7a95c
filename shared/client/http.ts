/**
 * The HTTP side of the client: one `fetch` per call against the API's base URL with the bearer token,
 * JSON in and out, and every failure turned into a `BatonError` (the API's error body when there is one;
 * otherwise a code derived from the status, or `unavailable` with status 0 when no answer came).
 * Uses only `fetch`, so it runs in browsers, Workers and Node alike.
 */
import { BatonError } from "../baton-error.ts";
import type { ErrorCode } from "../errors.ts";

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** The API's origin, e.g. `http://localhost:8787` (a trailing `/v1` is accepted too). */
  url: string;
  /** An API token; sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Another fetch (a service binding's, a test double); the global one by default. */
  fetch?: Fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON; undefined sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const statusCodes: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
  503: "unavailable",
};

export class HttpTransport {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: Fetch;
  private readonly headers: Record<string, string>;

  constructor(options: ClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.token = options.token;
    // Called unbound, the global fetch throws "Illegal invocation" in browsers and Workers.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.headers = options.headers ?? {};
  }

  url(path: string, query?: Query): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
    }
    return url.toString();
  }

  /** Sends the request; an answer that is not 2xx becomes a BatonError. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...this.headers, ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), { method, headers, body, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new BatonError("unavailable", `Could not reach Baton at ${this.baseUrl}: ${reason}`, { status: 0, cause: error });
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }
}

/** The BatonError an answer that is not 2xx stands for. */
export async function errorOf(response: Response): Promise<BatonError> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fromBody = BatonError.fromBody(body, response.status);
  if (fromBody) return fromBody;
  const code = statusCodes[response.status] ?? (response.status >= 500 ? "internal" : "bad_request");
  const snippet = text.trim().slice(0, 200);
  return new BatonError(code, `HTTP ${response.status}${snippet ? `: ${snippet}` : ""}`, { status: response.status });
}
