/**
 * Starting an execution, the one way for every caller (the API, RPC, child pipelines, schedules):
 * resolve the pinned template version, check its agents and the params, and hand it to a new
 * ExecutionDO. A repeated idempotency key (per caller and template) reaches the same object, which answers
 * with what it has, or 409 `idempotency_conflict` when the params differ from those it started with.
 */
import type { StartExecutionResponse } from "#shared/api/executions.ts";
import type { StartExecutionRequest } from "#shared/execution.ts";
import { canonicalJson } from "#shared/canonical-json.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { availableInSnapshot, loadAgentCatalog } from "../agents/catalog.ts";
import { DomainError, validationError } from "../errors.ts";
import { type Actor, actorLabel } from "../audit/actor.ts";
import { auditEntry } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { resolveParams } from "../templates/params.ts";
import { resolveValue } from "../templates/resolve.ts";
import { templateForStart } from "../templates/start-cache.ts";
import { getTemplate } from "../templates/store.ts";
import { loadConfig } from "../config/store.ts";
import { rateLimiter } from "../dispatcher/rate-limit-do.ts";
import { windowMs } from "../dispatcher/rate-window.ts";
import { raiseBudgetAlerts } from "../usage/alerts.ts";
import { dailyBudgets } from "../usage/spend.ts";
import { idempotentExecutionId, newExecutionId } from "./ids.ts";
import type { ForkSeed } from "./core/state.ts";
import type { ExecutionInit } from "./records.ts";
import { executionStub } from "./stub.ts";

export interface StartOptions {
  parent?: { executionId: string; stepId: string };
  /** Leave an `execution.start` entry in the audit log (written with the execution's first row). */
  audit?: boolean;
  /** Wait for an admin's start approval whatever the run mode (starts by AI assistants, when configured). */
  requireStartApproval?: boolean;
  /** Start a fork (execution/fork.ts): what it takes over from its origin. */
  fork?: ForkSeed;
}

/** Answers `{ id, status, created }`: every caller needs those, none the whole state (a step list to copy). */
export async function startExecution(
  env: Env,
  db: Database,
  request: StartExecutionRequest,
  actor: Actor,
  options: StartOptions = {},
): Promise<StartExecutionResponse> {
  const record = await templateForStart(request.template, request.version, () => getTemplate(db, request.template, request.version));
  if (!record) {
    throw new DomainError(
      "not_found",
      request.version === undefined
        ? `No template "${request.template}".`
        : `Template "${request.template}" has no version ${request.version}.`,
    );
  }
  if (record.archivedAt !== null) {
    throw new DomainError("invalid_state", `Template "${request.template}" is archived; save it again to use it.`);
  }
  const template = record.definition;
  const issues: FieldIssue[] = [];
  const agentNames = template.steps.flatMap((step) => (step.type === "agent" ? [step.agent] : []));
  if (!availableInSnapshot(env, agentNames)) {
    const catalog = await loadAgentCatalog(env, db);
    template.steps.forEach((step, index) => {
      if (step.type !== "agent") return;
      const status = catalog.status(step.agent);
      if (status === "disabled") issues.push({ path: `template.steps.${index}.agent`, message: `agent "${step.agent}" is disabled; enable it or change the template` });
      if (status === "unknown") issues.push({ path: `template.steps.${index}.agent`, message: `agent "${step.agent}" is not registered any more` });
    });
  }
  const params = resolveParams(template.params, request.params ?? {});
  if (!params.ok) issues.push(...params.issues);
  if (issues.length > 0 || !params.ok) throw validationError(issues, "execution request");

  const keyScope = { params: params.params, steps: {}, execution: { id: "", templateId: template.id } };
  const concurrencyKey = template.concurrency?.key ? String(resolveValue(template.concurrency.key, keyScope)) : null;
  const rateKey = template.rateLimit ? String(resolveValue(template.rateLimit.key ?? "", keyScope)) : null;
  const id = request.idempotencyKey ? await idempotentExecutionId(actorLabel(actor), template.id, request.idempotencyKey) : newExecutionId();
  const stub = executionStub(env, id);
  if (request.idempotencyKey) {
    // A repeated start finds its execution before any limit is counted again.
    const existing = await stub.getState();
    if (existing) {
      if (canonicalJson(existing.params) !== canonicalJson(params.params)) {
        throw new DomainError(
          "idempotency_conflict",
          `The idempotency key "${request.idempotencyKey}" already started execution ${existing.id} with other params; use a new key for a different request.`,
          { executionId: existing.id, idempotencyKey: request.idempotencyKey },
        );
      }
      return { id: existing.id, status: existing.status, created: false };
    }
  }

  const config = await loadConfig(db);
  const budgets = await dailyBudgets(db, config, template.id);
  await raiseBudgetAlerts(env, db, budgets);
  const exhausted = budgets.find((b) => b.spentUsd >= b.budgetUsd);
  if (exhausted) {
    const what = exhausted.scope === "total" ? "The daily budget" : `The daily budget of template "${template.id}"`;
    throw new DomainError(
      "budget_exceeded",
      `${what} is $${exhausted.budgetUsd.toFixed(2)} and $${exhausted.spentUsd.toFixed(4)} is spent today (UTC); raise it in /v1/config or start again after 00:00 UTC.`,
      { scope: exhausted.scope, budgetUsd: exhausted.budgetUsd, spentUsd: exhausted.spentUsd, day: exhausted.day },
    );
  }

  const rate = template.rateLimit && rateKey !== null ? { ...template.rateLimit, key: rateKey, limiter: rateLimiter(env, template.id, rateKey) } : null;
  if (rate) {
    const { limit, window } = rate;
    const verdict = await rate.limiter.reserve(template.id, rate.key, limit, windowMs(window), id);
    if (!verdict.ok) {
      throw new DomainError(
        "rate_limited",
        `Template "${template.id}" allows ${limit} executions per ${window} for key "${rateKey}"; ${verdict.count} started in this window. The next one can start at ${new Date(verdict.freesAt).toISOString()}.`,
        { key: rateKey, count: verdict.count, limit, window, freesAt: verdict.freesAt },
      );
    }
  }

  const init: ExecutionInit = {
    id,
    template,
    templateVersion: record.version,
    params: params.params,
    priority: request.priority ?? template.priority,
    idempotencyKey: request.idempotencyKey ?? null,
    concurrencyKey,
    rateKey,
    parent: options.parent ?? null,
    createdBy: actorLabel(actor),
    budgetUsd: template.budget?.maxCostUsd ?? config.defaultExecutionBudgetUsd,
    // Child pipelines were approved with their parent.
    requiresStartApproval: (config.mode === "approval" || options.requireStartApproval === true) && !options.parent,
    limits: config.limits,
    audit: options.audit ? auditEntry(actor, "execution.start", id, { template: template.id }) : null,
    ...(options.fork ? { fork: options.fork } : {}),
  };
  try {
    return await stub.initialize(init);
  } catch (error) {
    if (rate) await rate.limiter.unreserve(id).catch(() => {});
    throw error;
  }
}
