/** Small builders for route documentation, so each route states its request, answers and errors briefly. */
import type { z } from "@hono/zod-openapi";
import { errorBodySchema } from "#shared/errors.ts";

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

const errorDescriptions: Record<number, string> = {
  400: "Malformed request (bad JSON)",
  401: "Missing or revoked API token",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "Body is not JSON",
  422: "Validation failed; `details` names each bad field",
  429: "Limit or budget reached",
};

/** The error answers a route can give, all in the one error format. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    [401, ...statuses].map((status) => [status, jsonContent(errorBodySchema, errorDescriptions[status] ?? "Error")]),
  );
}
