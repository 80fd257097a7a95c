/**
 * Serves an agent over HTTPS for accounts that cannot bind it (docs/architecture.md "Agent contract"):
 * `GET /describe`, `GET /health`, `POST /run` with the task as JSON and no callbacks. A failed run answers
 * in the API's error format with the error's `name` in `details`; a 4xx status (NonRetryableError, bad
 * task) means "do not retry", a 5xx means the attempt failed and may be retried.
 */
import {
  isNonRetryableError,
  type AgentDescription,
  type AgentHealth,
  type AgentResult,
  type AgentTask,
} from "./agent.ts";
import { errorStatus, type ErrorBody, type ErrorCode } from "./errors.ts";

/** A `BatonAgent` instance, or any plain object with the three calls. */
export interface ServableAgent {
  describe(): AgentDescription | Promise<AgentDescription>;
  health(): AgentHealth | Promise<AgentHealth>;
  run(task: AgentTask): Promise<AgentResult>;
}

const SERVED = "use GET /describe, GET /health or POST /run";

export async function serveAgentHttp(agent: ServableAgent, request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  switch (`${request.method} ${path}`) {
    case "GET /describe":
      return Response.json(await agent.describe());
    case "GET /health":
      return Response.json(await agent.health());
    case "POST /run":
      return runFromRequest(agent, request);
  }
  const code = ["/describe", "/health", "/run"].includes(path) ? "method_not_allowed" : "not_found";
  return failure(code, `${request.method} ${path} is not served: ${SERVED}`);
}

async function runFromRequest(agent: ServableAgent, request: Request): Promise<Response> {
  let task: AgentTask;
  try {
    task = (await request.json()) as AgentTask;
  } catch {
    return failure("invalid_json", "the body of POST /run must be the task as JSON");
  }
  if (typeof task !== "object" || task === null || !("input" in task)) {
    return failure("bad_request", "the task must be a JSON object with at least `input`");
  }
  try {
    return Response.json(await agent.run(task));
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    return failure(isNonRetryableError(error) ? "bad_request" : "internal", message, { name });
  }
}

function failure(code: ErrorCode, message: string, details?: Record<string, unknown>): Response {
  const body: ErrorBody = { error: details ? { code, message, details } : { code, message } };
  return Response.json(body, { status: errorStatus[code] });
}
