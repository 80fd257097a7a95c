/**
 * `/api/v1/...` → the orchestrator's `/v1/...`, through the ConsoleGateway service binding, as the
 * signed-in admin (the middleware has checked the session). Only the headers the API reads are passed
 * on (never the cookie); the request body is small JSON, read up to the API's limit and no further; the response body is handed
 * back as the stream it is, so Server-Sent Events arrive event by event.
 */
import type { ConsoleFunction } from "../../server/env.ts";
import { apiPath } from "../../server/api-path.ts";
import { readCappedBytes } from "../../../shared/read-capped.ts";
import { jsonError } from "../../server/responses.ts";

const FORWARDED_HEADERS = ["accept", "content-type", "last-event-id"];
/** The API's own limit, checked here too so that a huge body is not read only to be refused. */
const MAX_BODY_BYTES = 1024 * 1024;
const TOO_LARGE = `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`;

export const onRequest: ConsoleFunction<"path"> = async ({ request, env, data }) => {
  if (!data.session) return jsonError(401, "unauthorized", "Sign in first.");
  const url = new URL(request.url);
  const target = apiPath(url);
  if ("problem" in target) return jsonError(400, "bad_request", target.problem);

  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let body: Uint8Array | null = null;
  if (request.method !== "GET" && request.method !== "HEAD") {
    // Up to the cap and no further, with or without a Content-Length (a chunked body has none).
    body = await readCappedBytes(request, MAX_BODY_BYTES);
    if (body === null) return jsonError(413, "payload_too_large", TOO_LARGE);
  }
  const forward = new Request(new URL(`${target.path}${url.search}`, url.origin), { method: request.method, headers, body });

  let response: Response;
  try {
    response = await env.GATEWAY.api(forward, data.session.identity);
  } catch (error) {
    console.error("console: API call failed", error);
    return jsonError(503, "unavailable", "The console cannot reach the orchestrator right now; try again in a moment.");
  }
  const answer = new Response(response.body, response);
  answer.headers.set("cache-control", "no-store");
  return answer;
};
