/**
 * Running one agent directly, without writing a template: the input is checked against the agent's
 * schema first (every bad field named), then the agent's one-step template (`agent--<name>`, saved as a
 * new version only when the retry or timeout asked for differs) is started like any other. So the run
 * is an ordinary execution: queued under the same limits, live over SSE, in history, with its cost.
 */
import { agentRunTemplateId, type RunAgentResponse, runAgentSchema } from "#shared/api/agent-runs.ts";
import type { JsonSchema } from "#shared/agent.ts";
import { type ParamType, paramTypes, type Template, templateSchema } from "#shared/template.ts";
import type { z } from "zod";
import { requireAgent } from "./agents.ts";
import { discoverBoundAgents } from "../agents/discovery.ts";
import { validateJson } from "../agents/json-schema.ts";
import { DomainError, validationError } from "../errors.ts";
import { startExecution } from "../execution/start.ts";
import { saveTemplate } from "../templates/store.ts";
import { saveAudit } from "./templates.ts";
import type { Caller } from "./caller.ts";

export type RunAgentOptions = z.output<typeof runAgentSchema>;

/** The step's id in every direct run, so `GET /v1/executions/:id` reads `steps[0].id === "run"`. */
export const AGENT_RUN_STEP = "run";

export async function runAgent(caller: Caller, name: string, request: RunAgentOptions): Promise<RunAgentResponse> {
  await discoverBoundAgents(caller.env, caller.db, Date.now());
  const agent = await requireAgent(caller.db, name);
  if (!agent.enabled) {
    throw new DomainError("invalid_state", `Agent "${name}" is disabled; enable it (POST /v1/agents/${name}/enable) to run it.`);
  }
  if (request.input === undefined) throw validationError([{ path: "input", message: "is required: the agent's input, as its schema describes" }]);
  const schema = (agent.inputSchema ?? {}) as JsonSchema;
  const issues = validateJson(schema, request.input, "input");
  if (issues.length > 0) throw validationError(issues);

  const template = agentRunTemplate(name, schema, request);
  const saved = await saveTemplate(caller.db, template, caller.actor, saveAudit(caller, template.id));
  const started = await startExecution(
    caller.env,
    caller.db,
    {
      template: template.id,
      version: saved.version,
      params: { input: request.input },
      ...(request.priority === undefined ? {} : { priority: request.priority }),
      ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    },
    caller.actor,
    { audit: true },
  );
  return { ...started, template: template.id };
}

/** The one-step template: its only param is the input, handed to the agent as it is. */
export function agentRunTemplate(name: string, schema: JsonSchema, request: RunAgentOptions): Template {
  return templateSchema.parse({
    id: agentRunTemplateId(name),
    name: `Run agent ${name}`,
    description: `A direct run of the agent "${name}" (POST /v1/agents/${name}/run): one step, the input as given.`,
    params: { input: { type: paramTypeOf(schema), required: true, description: `The input of agent "${name}"` } },
    steps: [
      {
        id: AGENT_RUN_STEP,
        type: "agent",
        agent: name,
        input: "{{params.input}}",
        ...(request.retry ? { retry: request.retry } : {}),
        ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      },
    ],
  });
}

/** The param's type from the schema's `type` (agents almost always take an object). */
function paramTypeOf(schema: JsonSchema): ParamType {
  const type = (schema as { type?: unknown }).type;
  return typeof type === "string" && (paramTypes as readonly string[]).includes(type) ? (type as ParamType) : "object";
}
