/** Small builders for route documentation, so each route states its request, answers and errors briefly. */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { documentedScopeRule } from "../auth/scopes.ts";
import { ErrorBody } from "./schemas.ts";

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } };
}

/** A body that may be left out entirely (control requests take an optional reason or comment). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { required: false, content: { "application/json": { schema } } };
}

/** A Server-Sent Events answer; its frames are described in words (OpenAPI 3.1 has no schema for them). */
export function sseContent(description: string) {
  return { description, content: { "text/event-stream": { schema: z.string() } } };
}

const errorDescriptions: Record<number, string> = {
  400: "Malformed request (bad JSON)",
  401: "Missing, expired or revoked API token",
  403: "Refused: the token's scope does not cover the route, or a cross-origin request from an origin that is not allowed",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "Body is not JSON",
  422: "Validation failed; `details` names each bad field",
  429: "Limit or budget reached",
};

/**
 * Answers every route behind the bearer token can give, whatever it does: the middleware refuses a
 * missing or revoked token and a browser origin that is not allowed, and anything unexpected is
 * `internal`. Documented once, for all of them.
 */
const commonErrors = {
  401: jsonContent(ErrorBody, errorDescriptions[401] ?? "Unauthorized"),
  403: jsonContent(ErrorBody, errorDescriptions[403] ?? "Forbidden"),
  500: jsonContent(ErrorBody, "Unexpected failure (the error has been logged)"),
};

/** Adds the common error answers to every documented route that needs a token (all but `security: []`). */
export function documentCommonErrors(registry: OpenAPIHono["openAPIRegistry"]): void {
  for (const definition of registry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route;
    if (Array.isArray(route.security) && route.security.length === 0) continue;
    route.responses = { ...commonErrors, ...route.responses };
  }
}

/**
 * Names the token scope each route needs (auth/scopes.ts, the table the middleware enforces) as the
 * route's bearer scope and as `x-baton-scope`, and says it in the description.
 */
export function documentScopes(registry: OpenAPIHono["openAPIRegistry"]): void {
  for (const definition of registry.definitions) {
    if (definition.type !== "route") continue;
    const route = definition.route as typeof definition.route & { "x-baton-scope"?: string };
    if (Array.isArray(route.security) && route.security.length === 0) continue;
    const rule = documentedScopeRule(route.method, `/v1${route.path.replace(/^\/v1/, "")}`);
    route.security = [{ bearerAuth: [rule.scope] }];
    route["x-baton-scope"] = rule.scope;
    const own = rule.ownExecutionsOnly ? " (a run token: only executions it started)" : "";
    route.description = `${route.description ? `${route.description}\n\n` : ""}Token scope: ${rule.scope}${rule.scope === "admin" ? "" : " or above"}${own}.`;
  }
}

/** The error answers a route can give, all in the one error format. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, jsonContent(ErrorBody, errorDescriptions[status] ?? "Error")]),
  );
}

/** The document describes itself too, so that every route of the API is in it. */
export const documentRoute = {
  method: "get" as const,
  path: "/v1/openapi.json",
  tags: ["Meta"],
  summary: "This OpenAPI 3.1 document",
  security: [],
  responses: { 200: jsonContent(z.record(z.string(), z.unknown()), "The OpenAPI document") },
};
