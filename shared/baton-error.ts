/**
 * The one error clients catch: every refusal from Baton, over HTTP or over RPC, arrives as a `BatonError`
 * with the stable `code` of the API's error format (`shared/errors.ts`), the HTTP status that code
 * maps to, and the `details` (for `validation_failed`, one entry per bad field).
 *
 * Over RPC the orchestrator throws an Error named "BatonError" with a readable message and the code,
 * status and details as own properties (`rpcError`); `BatonError.from(error)` turns it back into this
 * class on the caller's side.
 */
import { type ErrorCode, errorStatus } from "./error-codes.ts";
import type { ErrorBody } from "./errors.ts";

export type ErrorDetails = ErrorBody["error"]["details"];

export const BATON_ERROR_NAME = "BatonError";

export class BatonError extends Error {
  override readonly name = BATON_ERROR_NAME;
  readonly code: ErrorCode;
  /** The HTTP status of the answer, or the one the code maps to (RPC); 0 when no answer came at all. */
  readonly status: number;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { status?: number; details?: ErrorDetails; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? errorStatus[code] ?? 500;
    this.details = options.details;
  }

  /** The error body of the HTTP API, from which this error can be rebuilt on the other side of RPC. */
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }

  /** Builds the error an HTTP answer carried, or undefined when the body is not in the error format. */
  static fromBody(body: unknown, status: number): BatonError | undefined {
    if (!body || typeof body !== "object" || !("error" in body)) return undefined;
    const error = (body as { error: unknown }).error;
    if (!error || typeof error !== "object") return undefined;
    const { code, message, details } = error as Record<string, unknown>;
    if (typeof code !== "string" || typeof message !== "string") return undefined;
    return new BatonError(code as ErrorCode, message, {
      status,
      ...(details !== undefined ? { details: details as ErrorDetails } : {}),
    });
  }

  /**
   * The BatonError behind anything a call to Baton threw, or undefined when it is not one of ours (a network
   * failure, a bug). Over RPC the code, status and details arrive as the thrown error's own properties
   * (workerd's error serialization at Baton's compatibility date); where only the message arrives (a
   * Worker in another local `wrangler dev`), the code and text are read back from `code: text`.
   */
  static from(error: unknown): BatonError | undefined {
    if (error instanceof BatonError) return error;
    if (!(error instanceof Error)) return undefined;
    // Between two local `wrangler dev` processes (the dev registry) only "BatonError: <message>" arrives.
    const message = error.name === BATON_ERROR_NAME ? error.message : error.message.startsWith(`${BATON_ERROR_NAME}: `) ? error.message.slice(BATON_ERROR_NAME.length + 2) : undefined;
    if (message === undefined) return undefined;
    const carried = error as Error & Partial<RpcErrorProperties>;
    if (typeof carried.code === "string" && carried.code in errorStatus) {
      return new BatonError(carried.code as ErrorCode, typeof carried.apiMessage === "string" ? carried.apiMessage : message, {
        cause: error,
        ...(carried.details !== undefined ? { details: carried.details } : {}),
      });
    }
    const readable = /^([a-z_]+): ([\s\S]*)$/.exec(message);
    if (readable && readable[1]! in errorStatus) return new BatonError(readable[1] as ErrorCode, readable[2]!, { cause: error });
    return undefined;
  }
}

/** What an RPC refusal carries besides its readable message; `BatonError.from` reads them back. */
interface RpcErrorProperties {
  code: ErrorCode;
  status: number;
  details: ErrorDetails;
  /** The API's own message (the readable message lists the bad fields instead, when there are any). */
  apiMessage: string;
}

/**
 * The Error to throw from an RPC method: its message reads well where a caller only logs it
 * (`validation_failed: params.word: required param "word" is missing`), and its own properties carry the
 * code, status and details, which cross the binding for `BatonError.from` to rebuild the error.
 */
export function rpcError({ error: body }: ErrorBody): Error {
  const issues = Array.isArray(body.details) && body.details.length > 0 ? body.details : undefined;
  const text = issues ? issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ") : body.message;
  const error = new Error(`${body.code}: ${text}`);
  error.name = BATON_ERROR_NAME;
  const properties: RpcErrorProperties = { code: body.code, status: errorStatus[body.code], details: body.details, apiMessage: body.message };
  return Object.assign(error, properties);
}
