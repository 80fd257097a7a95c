/** Starting executions and reading them: the one implementation behind `/v1/executions` and RPC. */
import type { ExecutionFilters, ForkExecutionRequest, ForkExecutionResponse, StartExecutionResponse } from "#shared/api/executions.ts";
import type { ExecutionPage, ExecutionState, StartExecutionRequest } from "#shared/execution.ts";
import { actorLabel } from "../audit/actor.ts";
import { DomainError } from "../errors.ts";
import { EXECUTION_ID_PATTERN } from "../execution/ids.ts";
import { listExecutions } from "../history/queries.ts";
import { historyUpToDate } from "../history/writer.ts";
import { forkExecution } from "../execution/fork.ts";
import { startExecution } from "../execution/start.ts";
import { type ExecutionRpc, executionStub } from "../execution/stub.ts";
import type { Caller } from "./caller.ts";

export const DEFAULT_PAGE_SIZE = 50;

/** The execution's Durable Object; an id that cannot be one is "not found" without waking anything. */
export function existingExecution(env: Env, id: string): ExecutionRpc {
  if (!EXECUTION_ID_PATTERN.test(id)) throw new DomainError("not_found", `No execution "${id}".`);
  return executionStub(env, id);
}

export function start(caller: Caller, request: StartExecutionRequest): Promise<StartExecutionResponse> {
  return startExecution(caller.env, caller.db, request, caller.actor, { audit: true });
}

/** A `run` token sees only the executions it started; to it, the others do not exist. */
function visibleTo(caller: Caller, state: ExecutionState): boolean {
  return caller.actor.scope !== "run" || state.createdBy === actorLabel(caller.actor);
}

export function fork(caller: Caller, id: string, request: ForkExecutionRequest): Promise<ForkExecutionResponse> {
  return forkExecution(caller.env, caller.db, existingExecution(caller.env, id), id, request, caller.actor);
}

export async function read(caller: Caller, id: string): Promise<ExecutionState> {
  const state = await existingExecution(caller.env, id).getState();
  if (!state || !visibleTo(caller, state)) throw new DomainError("not_found", `No execution "${id}".`);
  return state;
}

/** For reads that do not need the state (events, logs): refuses a `run` token another caller's execution. */
export async function requireVisible(caller: Caller, id: string): Promise<void> {
  if (caller.actor.scope === "run") await read(caller, id);
}

export async function list(caller: Caller, filters: ExecutionFilters): Promise<ExecutionPage> {
  await historyUpToDate(caller.env);
  const own = caller.actor.scope === "run" ? { createdBy: actorLabel(caller.actor) } : {};
  return listExecutions(caller.db, { ...filters, ...own, limit: filters.limit ?? DEFAULT_PAGE_SIZE });
}
