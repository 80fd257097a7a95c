/**
 * The whole check of a template before it is saved: the zod schema (shape, ranges), then every rule
 * across fields (step ids and needs, cycles, agents, references, param specs, schedule), each problem
 * named by its exact path so that one round trip shows them all.
 *
 * Cross-field rules run only once the shape is right: they read a typed template, and a step without an
 * id or with `needs: 5` would only produce noise about its neighbours.
 */
import { AGENT_RUN_PREFIX, isAgentRunTemplate } from "#shared/api/agent-runs.ts";
import type { FieldIssue } from "#shared/errors.ts";
import { type AgentStep, type PipelineStep, type Step, type Template, templateSchema } from "#shared/template.ts";
import { parseCron } from "./cron-expression.ts";
import { findCycles, upstreamOf } from "./dag.ts";
import { checkParamSpec } from "./param-specs.ts";
import { resolveParams } from "./params.ts";
import { checkReferences } from "./reference-rules.ts";
import { schemaIssues } from "./schema-issues.ts";

export type AgentStatus = "available" | "disabled" | "unknown";

/** What validation needs to know about the world outside the template. */
export interface TemplateValidationContext {
  agentStatus(name: string): AgentStatus;
  /** Every registered agent, listed in the message about an unknown or disabled one. */
  agentNames?(): readonly string[];
  /** For `pipeline` steps; when omitted, the templates they name are not checked. */
  templateExists?(id: string): boolean;
}

export type TemplateValidation = { ok: true; template: Template } | { ok: false; issues: FieldIssue[] };

export function validateTemplate(raw: unknown, context: TemplateValidationContext): TemplateValidation {
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error.issues, raw) };
  const template = parsed.data;
  const unsoundParams = new Set<string>();
  const paramIssues = Object.entries(template.params).flatMap(([name, spec]) => {
    const found = checkParamSpec(spec, `params.${name}`);
    if (found.length > 0) unsoundParams.add(name);
    return found;
  });
  const issues = [
    ...reservedIdIssues(template.id),
    ...paramIssues,
    ...stepIssues(template, context),
    ...cycleIssues(template.steps),
    ...checkReferences(template, upstreamOf(template.steps)),
    ...scheduleIssues(template, unsoundParams),
    ...mcpIssues(template),
  ];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, template };
}

/** Direct agent runs own the `agent--` ids (shared/api/agent-runs.ts); a user's template there could be overwritten by one. */
function reservedIdIssues(id: string): FieldIssue[] {
  if (!isAgentRunTemplate(id)) return [];
  return [
    {
      path: "id",
      message: `ids starting with "${AGENT_RUN_PREFIX}" are reserved for direct agent runs (POST /v1/agents/:name/run); choose another id`,
    },
  ];
}

function stepIssues(template: Template, context: TemplateValidationContext): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const firstIndex = new Map<string, number>();
  const ids = [...new Set(template.steps.map((step) => step.id))];
  template.steps.forEach((step, index) => {
    const first = firstIndex.get(step.id);
    if (first === undefined) firstIndex.set(step.id, index);
    else {
      issues.push({
        path: `steps.${index}.id`,
        message: `step id "${step.id}" is already used by steps.${first}; give every step its own id`,
      });
    }
    issues.push(...needsIssues(step, index, ids));
    if (step.type === "agent") {
      issues.push(...agentIssues(step.agent, `steps.${index}.agent`, context), ...retryIssues(step, index));
      if (step.fallback) issues.push(...agentIssues(step.fallback.agent, `steps.${index}.fallback.agent`, context, "fallback "));
    }
    if (step.type === "pipeline") issues.push(...pipelineIssues(step, index, template.id, context));
  });
  return issues;
}

function needsIssues(step: Step, index: number, ids: readonly string[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  (step.needs ?? []).forEach((need, position) => {
    const path = `steps.${index}.needs.${position}`;
    if (need === step.id) {
      const message = `step "${step.id}" needs itself, so it could never start; remove "${need}" from its needs`;
      issues.push({ path, message });
    } else if (!ids.includes(need)) {
      issues.push({
        path,
        message:
          `step "${step.id}" needs "${need}", which is not a step of this template; ` +
          `steps are: ${ids.join(", ")}`,
      });
    } else if (step.needs?.indexOf(need) !== position) {
      issues.push({ path, message: `"${need}" is listed twice in the needs of step "${step.id}"; remove one` });
    }
  });
  return issues;
}

function agentIssues(agent: string, path: string, context: TemplateValidationContext, role = ""): FieldIssue[] {
  const status = context.agentStatus(agent);
  if (status === "available") return [];
  const names = context.agentNames?.();
  if (status === "disabled") {
    const available = names?.filter((name) => context.agentStatus(name) === "available") ?? [];
    const others = available.length > 0 ? ` (available: ${available.join(", ")})` : "";
    return [{ path, message: `${role}agent "${agent}" is disabled; enable it or use another agent${others}` }];
  }
  let known = "";
  if (names?.length === 0) known = "; no agents are registered yet";
  else if (names !== undefined) known = `; known agents: ${names.join(", ")}`;
  return [{ path, message: `${role}agent "${agent}" is not registered${known}. Register it or fix the name` }];
}

function retryIssues(step: AgentStep, index: number): FieldIssue[] {
  const retry = step.retry;
  if (retry?.maxDelayMs === undefined || retry.maxDelayMs >= retry.delayMs) return [];
  return [
    {
      path: `steps.${index}.retry.maxDelayMs`,
      message: `maxDelayMs ${retry.maxDelayMs} is less than delayMs ${retry.delayMs}; raise it or lower delayMs`,
    },
  ];
}

function pipelineIssues(
  step: PipelineStep,
  index: number,
  templateId: string,
  context: TemplateValidationContext,
): FieldIssue[] {
  const path = `steps.${index}.template`;
  if (step.template === templateId) {
    return [{ path, message: `template "${templateId}" cannot run itself as a step; that would never end` }];
  }
  if (context.templateExists?.(step.template) === false) {
    return [{ path, message: `template "${step.template}" does not exist; create it first or fix the id` }];
  }
  return [];
}

/** Cycles through other steps; a step that needs itself is reported on its needs entry instead. */
function cycleIssues(steps: readonly Step[]): FieldIssue[] {
  return findCycles(steps)
    .filter((cycle) => cycle.length > 2)
    .map((cycle) => {
      const [start = "", ...rest] = cycle;
      const closing = rest[rest.length - 2] ?? "";
      const index = steps.findIndex((step) => step.id === start);
      const position = steps[index]?.needs?.indexOf(closing) ?? 0;
      return {
        path: `steps.${index}.needs.${position}`,
        message:
          `steps form a cycle: ${cycle.join(" → ")}; each waits for the one before it, so none can start. ` +
          "Remove one of these needs",
      };
    });
}

/** An assistant picks a tool by its description alone: a template offered as one must have it. */
function mcpIssues(template: Template): FieldIssue[] {
  if (template.mcp?.tool !== true || template.description?.trim()) return [];
  return [{ path: "mcp.tool", message: "a template offered as an MCP tool needs a description: assistants choose tools by it" }];
}

function scheduleIssues(template: Template, unsoundParams: ReadonlySet<string>): FieldIssue[] {
  const schedule = template.schedule;
  if (schedule === undefined) return [];
  const issues: FieldIssue[] = [];
  const cron = parseCron(schedule.cron);
  if (!cron.ok) issues.push({ path: "schedule.cron", message: `not a valid cron expression: ${cron.error}` });
  const params = resolveParams(template.params, schedule.params ?? {}, "schedule.params");
  // A value is not judged against a spec already reported as broken, so that one mistake is reported once.
  const judged = (issue: FieldIssue) => !unsoundParams.has(issue.path.split(".")[2] ?? "");
  if (!params.ok) issues.push(...params.issues.filter(judged));
  return issues;
}
