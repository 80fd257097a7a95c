/**
 * Forking an execution from one of its steps ("time travel"): a new execution of the same template
 * version that takes over the outputs of every step `fromStep` does not lead to (no agent is called and
 * nothing is charged for them again), runs `fromStep` with the given input or its input resolved afresh,
 * and runs everything after it. The origin must have ended; it records the link as an event of its own.
 */
import type { ForkExecutionRequest, ForkExecutionResponse } from "#shared/api/executions.ts";
import type { ExecutionState } from "#shared/execution.ts";
import { terminalExecutionStatuses } from "#shared/execution.ts";
import type { FieldIssue } from "#shared/errors.ts";
import type { Step } from "#shared/template.ts";
import { validateJson } from "../agents/json-schema.ts";
import { knownAgent, loadSnapshot } from "../agents/registry-snapshot.ts";
import type { Actor } from "../audit/actor.ts";
import type { Database } from "../db/client.ts";
import { DomainError, validationError } from "../errors.ts";
import type { ForkSeed } from "./core/state.ts";
import { getTemplate } from "../templates/store.ts";
import { startExecution } from "./start.ts";
import type { ExecutionRpc } from "./stub.ts";

export async function forkExecution(
  env: Env,
  db: Database,
  origin: ExecutionRpc,
  originId: string,
  request: ForkExecutionRequest,
  actor: Actor,
): Promise<ForkExecutionResponse> {
  const state = await origin.getState();
  if (!state) throw new DomainError("not_found", `No execution "${originId}".`);
  if (!terminalExecutionStatuses.has(state.status)) {
    throw new DomainError("invalid_state", `Execution "${originId}" is ${state.status}; only an execution that has ended can be forked (cancel it first, or wait).`);
  }
  const template = await templateOf(db, state);
  const from = template.find((step) => step.id === request.fromStep);
  if (!from) {
    throw validationError([{ path: "fromStep", message: `"${request.fromStep}" is not a step of this execution; steps are: ${template.map((s) => s.id).join(", ")}` }]);
  }
  if (request.input !== undefined) await checkInput(env, from, request.input);

  const rerun = downstreamOf(template, from.id);
  const reused: Record<string, unknown> = {};
  for (const step of state.steps) {
    // A fan-out whose output the state does not list (too many items) is run again.
    if (rerun.has(step.id) || step.status !== "completed" || step.output === null) continue;
    reused[step.id] = step.output;
  }
  const seed: ForkSeed = { executionId: originId, stepId: from.id, reused, ...(request.input !== undefined ? { input: request.input } : {}) };
  const started = await startExecution(
    env,
    db,
    { template: state.templateId, version: state.templateVersion, params: { ...state.params, ...(request.params ?? {}) }, priority: state.priority },
    actor,
    { audit: true, fork: seed },
  );
  // The link on the origin's side; the fork is started whether or not this lands (it logs why not).
  await origin.forked(started.id, from.id).catch((error: unknown) => console.error(`recording fork ${started.id} on ${originId} failed`, error));
  return { ...started, forkedFrom: { executionId: originId, stepId: from.id } };
}

/** `fromStep` and every step that needs it, directly or not. */
export function downstreamOf(steps: readonly Step[], fromStep: string): Set<string> {
  const found = new Set([fromStep]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const step of steps) {
      if (found.has(step.id) || !(step.needs ?? []).some((need) => found.has(need))) continue;
      found.add(step.id);
      grew = true;
    }
  }
  return found;
}

async function templateOf(db: Database, state: ExecutionState): Promise<Step[]> {
  const record = await getTemplate(db, state.templateId, state.templateVersion);
  if (!record) throw new DomainError("not_found", `Template "${state.templateId}" has no version ${state.templateVersion} any more.`);
  return record.definition.steps;
}

/** A given input is checked like any: against the agent's published input schema, each bad field by its path. */
async function checkInput(env: Env, step: Step, input: unknown): Promise<void> {
  const issues: FieldIssue[] = [];
  if (step.type !== "agent" || step.forEach) {
    issues.push({ path: "input", message: `step "${step.id}" is ${step.type === "agent" ? "a forEach step" : `a ${step.type} step`}; only a single agent step takes an input` });
  } else {
    if (knownAgent(step.agent) === null) await loadSnapshot(env).catch(() => {});
    const schema = knownAgent(step.agent)?.inputSchema;
    if (schema) issues.push(...validateJson(schema, input, "input"));
  }
  if (issues.length > 0) throw validationError(issues, "fork request");
}
