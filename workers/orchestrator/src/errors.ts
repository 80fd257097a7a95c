/**
 * The one error Baton throws when it refuses something: a stable `code` from the public error format
 * (`shared/errors.ts`), a message saying what was wrong and what to do, and `details` (for
 * `validation_failed`, one entry per bad field, named by its path). Services, stores and use cases throw
 * it without knowing who asked; the HTTP API (`api/errors.ts`) and RPC (`rpc/errors.ts`) each turn it
 * into their answer in one place. Nothing here knows about Hono, so any module may import it.
 */
import type { ZodError } from "zod";
import { type ErrorBody, type ErrorCode, errorStatus, type FieldIssue, formatPath } from "#shared/errors.ts";

export class DomainError extends Error {
  /** The HTTP status the code maps to; RPC callers get the same code and rebuild it. */
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody["error"]["details"],
  ) {
    super(message);
    this.name = "DomainError";
    this.status = errorStatus[code];
  }

  /** The public error format of this refusal. */
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}

/** A `validation_failed` refusal whose message names the first bad field and counts the rest. */
export function validationError(issues: FieldIssue[], what = "request body"): DomainError {
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : "invalid";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new DomainError("validation_failed", `The ${what} is invalid: ${summary}${more}.`, issues);
}

export function zodIssues(error: ZodError, prefix: PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** Anything thrown, as a DomainError: ours pass through; anything else is logged and becomes `internal`. */
export function asDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  console.error("unhandled error", error);
  return new DomainError("internal", "Something went wrong inside Baton; the error has been logged.");
}
