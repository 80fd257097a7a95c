/**
 * `OrchestratorService` (docs/architecture.md, contract): the RPC entrypoint other Workers reach through
 * a service binding. Trust comes from the binding, so there is no token; the binding's `props.caller`
 * names the calling Worker, and every change it makes is audited as `service:<caller>`. Each method
 * validates its arguments with the API's schemas and calls the same service function as the matching HTTP
 * route.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { z } from "zod";
import { commentBodySchema, executionFiltersSchema, type ForkExecutionRequest, forkExecutionSchema, reasonBodySchema, startExecutionSchema } from "#shared/api/executions.ts";
import { type RunAgentRequest, runAgentSchema } from "#shared/api/agent-runs.ts";
import { agentNameSchema } from "#shared/api/agents.ts";
import type { TemplateDraft } from "#shared/api/templates.ts";
import type { StartExecutionRequest } from "#shared/execution.ts";
import type { OrchestratorRpc, OrchestratorServiceProps } from "#shared/rpc.ts";
import { DomainError } from "../errors.ts";
import { database } from "../db/client.ts";
import type { Caller } from "../services/caller.ts";
import { runAgent } from "../services/agent-runs.ts";
import * as control from "../services/execution-control.ts";
import * as events from "../services/execution-events.ts";
import { estimate } from "../services/estimates.ts";
import * as executions from "../services/executions.ts";
import * as templates from "../services/templates.ts";
import { parseArgument, rpcCall } from "./errors.ts";

const id = z.string().min(1).max(64);
const listOptions = z.strictObject({ includeArchived: z.boolean().optional() }).default({});
const readOptions = z.strictObject({ version: z.number().int().min(1).optional() }).default({});
const eventOptions = z.strictObject({ after: z.number().int().min(0).optional() }).default({});
const estimateRequest = z.strictObject({ params: z.record(z.string(), z.unknown()).optional() }).default({});

export class OrchestratorService extends WorkerEntrypoint<Env, Partial<OrchestratorServiceProps>> implements OrchestratorRpc {
  /** The caller named by the binding's props; a binding without `caller` is refused, so nothing goes unattributed. */
  private caller(): Caller {
    const name = this.ctx.props?.caller;
    if (typeof name !== "string" || !/^[\w.:@/-]{1,100}$/.test(name)) {
      throw new DomainError(
        "unauthorized",
        'Name the calling Worker in the service binding: props = { caller = "<worker name>" } (1-100 letters, digits or . _ : @ / -).',
      );
    }
    return { env: this.env, db: database(this.env.DB), actor: { kind: "service", name } };
  }

  startExecution(request: StartExecutionRequest) {
    return rpcCall(() => executions.start(this.caller(), parseArgument(startExecutionSchema, request, "execution request")));
  }

  runAgent(agentName: string, request: RunAgentRequest) {
    return rpcCall(() =>
      runAgent(this.caller(), parseArgument(agentNameSchema, agentName, "agent name"), parseArgument(runAgentSchema, request, "run request")),
    );
  }

  forkExecution(executionId: string, request: ForkExecutionRequest) {
    return rpcCall(() =>
      executions.fork(this.caller(), parseArgument(id, executionId, "execution id"), parseArgument(forkExecutionSchema, request, "fork request")),
    );
  }

  getExecution(executionId: string) {
    return rpcCall(() => executions.read(this.caller(), parseArgument(id, executionId, "execution id")));
  }

  listExecutions(filters: unknown = {}) {
    return rpcCall(() => executions.list(this.caller(), parseArgument(executionFiltersSchema, filters, "filter")));
  }

  cancelExecution(executionId: string, options?: { reason?: string }) {
    return rpcCall(() => {
      const { reason } = parseArgument(reasonBodySchema.default({}), options, "options argument");
      return control.control(this.caller(), parseArgument(id, executionId, "execution id"), "cancel", reason ?? null);
    });
  }

  pauseExecution(executionId: string, options?: { reason?: string }) {
    return rpcCall(() => {
      const { reason } = parseArgument(reasonBodySchema.default({}), options, "options argument");
      return control.control(this.caller(), parseArgument(id, executionId, "execution id"), "pause", reason ?? null);
    });
  }

  resumeExecution(executionId: string) {
    return rpcCall(() => control.control(this.caller(), parseArgument(id, executionId, "execution id"), "resume"));
  }

  retryExecution(executionId: string) {
    return rpcCall(() => control.control(this.caller(), parseArgument(id, executionId, "execution id"), "retry"));
  }

  approveStep(executionId: string, stepId: string, options?: { comment?: string }) {
    return this.decide(executionId, stepId, true, options);
  }

  rejectStep(executionId: string, stepId: string, options?: { comment?: string }) {
    return this.decide(executionId, stepId, false, options);
  }

  listTemplates(options?: { includeArchived?: boolean }) {
    return rpcCall(() => templates.list(this.caller(), parseArgument(listOptions, options, "options argument")));
  }

  getTemplate(templateId: string, options?: { version?: number }) {
    return rpcCall(() => {
      const { version } = parseArgument(readOptions, options, "options argument");
      return templates.read(this.caller(), parseArgument(id, templateId, "template id"), version);
    });
  }

  saveTemplate(template: TemplateDraft) {
    return rpcCall(() => templates.save(this.caller(), template));
  }

  estimate(templateId: string, request?: { params?: Record<string, unknown> }) {
    return rpcCall(() => {
      const { params } = parseArgument(estimateRequest, request, "estimate request");
      return estimate(this.caller(), parseArgument(id, templateId, "template id"), params ?? {});
    });
  }

  events(executionId: string, options?: { after?: number }) {
    return rpcCall(() => {
      const { after } = parseArgument(eventOptions, options, "options argument");
      return events.eventStream(this.caller(), parseArgument(id, executionId, "execution id"), after ?? 0);
    });
  }

  private decide(executionId: string, stepId: string, approved: boolean, options: { comment?: string } | undefined) {
    return rpcCall(() => {
      const { comment } = parseArgument(commentBodySchema.default({}), options, "options argument");
      const step = parseArgument(id, stepId, "step id");
      return control.decideApproval(this.caller(), parseArgument(id, executionId, "execution id"), step, approved, comment ?? null);
    });
  }
}
