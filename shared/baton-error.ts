/**
 * The one error clients catch: every refusal from Baton, over HTTP or over RPC, arrives as a `BatonError`
 * with the stable `code` of the API's error format (`shared/errors.ts`), the HTTP status that code
 * maps to, and the `details` (for `validation_failed`, one entry per bad field).
 *
 * Only an error's `name` and `message` cross a service binding, so over RPC the orchestrator throws an
 * Error named "BatonError" whose message is the JSON of the error body; `BatonError.fromRpc` turns it
 * back into this class. An error that is not one of ours (a network failure, a bug) is returned as is.
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

  /** Rebuilds a BatonError thrown across RPC; anything else is returned unchanged. */
  static fromRpc(error: unknown): unknown {
    if (!(error instanceof Error) || error.name !== BATON_ERROR_NAME || error instanceof BatonError) return error;
    try {
      const decoded = BatonError.fromBody(JSON.parse(error.message), 0);
      if (decoded) {
        return new BatonError(decoded.code, decoded.message, {
          cause: error,
          ...(decoded.details !== undefined ? { details: decoded.details } : {}),
        });
      }
    } catch {
      // Not our encoding after all: hand it back untouched.
    }
    return error;
  }
}

/** The Error to throw from an RPC method so that `BatonError.fromRpc` can rebuild it on the caller's side. */
export function rpcError(body: ErrorBody): Error {
  const error = new Error(JSON.stringify(body));
  error.name = BATON_ERROR_NAME;
  return error;
}
