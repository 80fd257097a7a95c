/**
 * The `OrchestratorService` RPC entrypoint (docs/architecture.md, contract) as another Worker sees it:
 * the methods, their request and answer types, and `batonService`, which wraps the service binding so
 * that refusals arrive as typed `BatonError`s and `follow` yields an execution's events until it ends.
 *
 * ```ts
 * const baton = batonService(env.BATON);
 * const { id } = await baton.startExecution({ template: "hello", params: { name: "Ada" } });
 * for await (const event of baton.follow(id)) console.log(event.type);
 * ```
 *
 * The binding (wrangler.toml): `[[services]] binding = "BATON"`, `service = "orchestrator"`,
 * `entrypoint = "OrchestratorService"`, and `[services.props] caller = "<your worker>"`: the caller's
 * name is required and is what the audit log records for every change it makes.
 */
import { BatonError } from "./baton-error.ts";
import type { RunAgentRequest, RunAgentResponse } from "./api/agent-runs.ts";
import type { ExecutionFilters, ForkExecutionRequest, ForkExecutionResponse, StartExecutionResponse } from "./api/executions.ts";
import type { TemplateDraft, TemplateEstimate, TemplateRecord, TemplateSaveResult, TemplateSummary } from "./api/templates.ts";
import type { ExecutionEvent, ExecutionPage, ExecutionState, StartExecutionRequest } from "./execution.ts";
import { type FollowOptions, followEvents } from "./client/follow.ts";

/** Callers catch one class: `BatonError.from(error)` gives the code and details of any refusal. */
export { BatonError };

/** What the binding's `props` carry; `caller` names the calling Worker in the audit log. */
export interface OrchestratorServiceProps {
  caller: string;
}

export interface OrchestratorRpc {
  startExecution(request: StartExecutionRequest): Promise<StartExecutionResponse>;
  /** Runs one agent on `input` (checked against its schema) as a one-step execution of template `agent--<name>`. */
  runAgent(agentName: string, request: RunAgentRequest): Promise<RunAgentResponse>;
  /** Starts a new execution from `fromStep` of an ended one, reusing the outputs before it (see the API's fork). */
  forkExecution(executionId: string, request: ForkExecutionRequest): Promise<ForkExecutionResponse>;
  getExecution(executionId: string): Promise<ExecutionState>;
  listExecutions(filters?: ExecutionFilters): Promise<ExecutionPage>;
  cancelExecution(executionId: string, options?: { reason?: string }): Promise<ExecutionState>;
  pauseExecution(executionId: string, options?: { reason?: string }): Promise<ExecutionState>;
  resumeExecution(executionId: string): Promise<ExecutionState>;
  retryExecution(executionId: string): Promise<ExecutionState>;
  approveStep(executionId: string, stepId: string, options?: { comment?: string }): Promise<ExecutionState>;
  rejectStep(executionId: string, stepId: string, options?: { comment?: string }): Promise<ExecutionState>;
  listTemplates(options?: { includeArchived?: boolean }): Promise<TemplateSummary[]>;
  getTemplate(templateId: string, options?: { version?: number }): Promise<TemplateRecord>;
  /** Saves the definition as the template's next version (or creates it); unchanged keeps the latest. */
  saveTemplate(template: TemplateDraft): Promise<TemplateSaveResult>;
  estimate(templateId: string, request?: { params?: Record<string, unknown> }): Promise<TemplateEstimate>;
  /** The execution's events as SSE bytes (as `GET /v1/executions/:id/events`): replayed after `after`, then live. */
  events(executionId: string, options?: { after?: number }): Promise<ReadableStream<Uint8Array>>;
}

/** Every method of the contract, for wrappers that forward them all. */
export const orchestratorRpcMethods = [
  "startExecution",
  "runAgent",
  "forkExecution",
  "getExecution",
  "listExecutions",
  "cancelExecution",
  "pauseExecution",
  "resumeExecution",
  "retryExecution",
  "approveStep",
  "rejectStep",
  "listTemplates",
  "getTemplate",
  "saveTemplate",
  "estimate",
  "events",
] as const satisfies readonly (keyof OrchestratorRpc)[];

// Fails to compile when a method is added to the interface but not to the list above.
type Unlisted = Exclude<keyof OrchestratorRpc, (typeof orchestratorRpcMethods)[number]>;
const everyMethodListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyMethodListed;

export interface BatonService extends OrchestratorRpc {
  /** Events of the execution until it ends, reconnecting (after the last one seen) if the stream drops. */
  follow(executionId: string, options?: FollowOptions): AsyncGenerator<ExecutionEvent>;
}

/** Wraps the `OrchestratorService` binding: the same methods, with errors rebuilt as `BatonError`. */
export function batonService(binding: OrchestratorRpc): BatonService {
  const service: Partial<Record<keyof BatonService, unknown>> = {};
  // An RPC stub answers any property with another stub (`method.apply` would be a remote call), so
  // each call goes through the binding itself.
  const methods = binding as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of orchestratorRpcMethods) {
    service[name] = async (...args: unknown[]) => {
      try {
        return await methods[name]!(...args);
      } catch (error) {
        throw BatonError.from(error) ?? error;
      }
    };
  }
  const wrapped = service as BatonService;
  wrapped.follow = (executionId, options) => followEvents((after) => wrapped.events(executionId, { after }), options);
  return wrapped;
}
