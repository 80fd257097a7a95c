/**
 * The one place the HTTP API turns anything thrown into the public error format
 * `{ error: { code, message, details? } }`: Baton's own `DomainError` (errors.ts) keeps its code, Hono's
 * own refusals (bad JSON, wrong media type) get theirs, and anything else becomes `internal`.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ErrorCode } from "#shared/errors.ts";
import { asDomainError, DomainError } from "../errors.ts";

const httpExceptionCodes: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** Maps anything thrown inside a request to a DomainError; unknown errors become `internal` (and are logged). */
export function toApiError(error: unknown): DomainError {
  if (error instanceof HTTPException) {
    if (error.status === 400 && /json/i.test(error.message)) {
      return new DomainError("invalid_json", "The request body is not valid JSON; send a JSON document.");
    }
    if (error.status === 415) {
      return new DomainError("unsupported_media_type", "Send the request body as JSON with content-type: application/json.");
    }
    const code = httpExceptionCodes[error.status] ?? "bad_request";
    return new DomainError(code, error.message || code);
  }
  return asDomainError(error);
}

export function errorResponse(c: Context, error: DomainError): Response {
  return c.json(error.toBody(), error.status as 400);
}
