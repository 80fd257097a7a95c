/**
 * One typed error for everything the API refuses, and the one place that turns any thrown value into
 * the public error format `{ error: { code, message, details? } }`.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { type ErrorBody, type ErrorCode, errorStatus, type FieldIssue, formatPath } from "#shared/errors.ts";

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody["error"]["details"],
  ) {
    super(message);
    this.name = "ApiError";
    this.status = errorStatus[code];
  }
}

export function validationError(issues: FieldIssue[], what = "request body"): ApiError {
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : "invalid";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new ApiError("validation_failed", `The ${what} is invalid: ${summary}${more}.`, issues);
}

export function zodIssues(error: ZodError, prefix: PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

const httpExceptionCodes: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Maps anything thrown inside a request to an ApiError; unknown errors become `internal` (and are logged). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new ApiError("invalid_json", "The request body is not valid JSON; send a JSON document.");
    }
    if (error.status === 415) {
      return new ApiError("unsupported_media_type", "Send the request body as JSON with content-type: application/json.");
    }
    const code = httpExceptionCodes[error.status] ?? "bad_request";
    return new ApiError(code, error.message || code);
  }
  console.error("unhandled error", error);
  return new ApiError("internal", "Something went wrong inside Baton; the error has been logged.");
}

export function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  return c.json(body, error.status as 400);
}
