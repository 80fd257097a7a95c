/**
 * The guardrails on what an AI assistant may do (`mcp` in /v1/config): which templates it sees and
 * starts, and whether its starts wait for an admin. A template it may not see answers exactly like one
 * that does not exist, so a hidden template cannot be discovered by probing.
 */
import type { StartExecutionResponse } from "#shared/api/executions.ts";
import type { McpConfig } from "#shared/config.ts";
import type { ExecutionState, StartExecutionRequest } from "#shared/execution.ts";
import { DomainError } from "../errors.ts";
import { startExecution } from "../execution/start.ts";
import type { Caller } from "../services/caller.ts";
import { read } from "../services/executions.ts";

export function templateVisible(mcp: McpConfig, templateId: string): boolean {
  return mcp.templates === null || mcp.templates.includes(templateId);
}

/** A start like any other (params, budgets, limits, rate limits, audit), plus the assistant guardrails. */
export function startForAssistant(caller: Caller, mcp: McpConfig, request: StartExecutionRequest): Promise<StartExecutionResponse> {
  if (!templateVisible(mcp, request.template)) throw new DomainError("not_found", `No template "${request.template}".`);
  return startExecution(caller.env, caller.db, request, caller.actor, {
    audit: true,
    requireStartApproval: mcp.requireStartApproval,
  });
}

/** An execution the assistant may see: one of a template it may see. */
export async function visibleExecution(caller: Caller, mcp: McpConfig, id: string): Promise<ExecutionState> {
  const state = await read(caller, id);
  if (!templateVisible(mcp, state.templateId)) throw new DomainError("not_found", `No execution "${id}".`);
  return state;
}
