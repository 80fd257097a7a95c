/**
 * One execution's trace, built from its event log after it ended: a span for the execution, one per
 * step under it (with links to the steps it `needs`), and one per agent attempt under its step, carrying
 * agent, attempt, outcome, error, cost and the GenAI semantic-convention attributes the agent reported.
 * A sub-pipeline's execution is a trace of its own spans under its parent step's span (ids are derived
 * from what they name, so the two traces meet without coordination). Pure: events in, spans out.
 */
import type { ExecutionEvent } from "#shared/execution.ts";
import { type SpanData, spanIdOf } from "./otlp.ts";

export interface TracedExecution {
  id: string;
  templateId: string;
  templateVersion: number;
  status: string;
  createdAt: number;
  endedAt: number | null;
  costUsd: number;
  error: { code: string; message: string } | null;
}

export interface TraceInput {
  execution: TracedExecution;
  traceId: string;
  /** The parent execution's step span, for a sub-pipeline's execution. */
  parentSpanId?: string;
  /** Each step's `needs`, from the template version the execution ran. */
  needs: ReadonlyMap<string, readonly string[]>;
  events: readonly ExecutionEvent[];
}

/** A span and the seq of the event that ended it (a retried execution re-exports only what is new). */
export type BuiltSpan = SpanData & { endSeq: number };

interface Open {
  span: BuiltSpan;
  ended: boolean;
}

const number = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function errorOf(value: unknown): { code?: string; message?: string } {
  return value && typeof value === "object" ? { code: text((value as Record<string, unknown>).code), message: text((value as Record<string, unknown>).message) } : {};
}

export async function buildTrace(input: TraceInput): Promise<BuiltSpan[]> {
  const { execution: e, traceId } = input;
  const executionSpanId = await spanIdOf("execution", e.id);
  const steps = new Map<string, Open>();
  const attempts = new Map<string, Open>();
  /** The attempt running for each step or fan-out item: usage reported goes to it. */
  const currentAttempt = new Map<string, Open>();
  let endAt = e.endedAt ?? e.createdAt;
  let endSeq = 0;

  const stepSpan = async (stepId: string, at: number): Promise<Open> => {
    let open = steps.get(stepId);
    if (!open) {
      const links = await Promise.all((input.needs.get(stepId) ?? []).map(async (need) => ({ traceId, spanId: await spanIdOf("step", e.id, need) })));
      open = {
        ended: false,
        span: {
          traceId,
          spanId: await spanIdOf("step", e.id, stepId),
          parentSpanId: executionSpanId,
          name: `step ${stepId}`,
          startMs: at,
          endMs: at,
          attributes: { "baton.execution.id": e.id, "baton.step.id": stepId, "baton.attempts": 0 },
          status: "unset",
          links,
          endSeq: 0,
        },
      };
      steps.set(stepId, open);
    }
    return open;
  };
  const close = (open: Open, event: ExecutionEvent, status: BuiltSpan["status"], outcome: string, message?: string) => {
    open.ended = true;
    open.span.endMs = event.at;
    open.span.endSeq = event.seq;
    open.span.status = status;
    open.span.attributes["baton.status"] = outcome;
    if (message) {
      open.span.statusMessage = message;
      open.span.attributes["baton.error"] = message;
    }
  };
  const addCost = (attributes: BuiltSpan["attributes"], key: string, amount: number | undefined) => {
    if (amount === undefined) return;
    attributes[key] = Math.round(((number(attributes[key]) ?? 0) + amount) * 1e8) / 1e8;
  };

  for (const event of input.events) {
    const data = event.data;
    const stepId = text(data.stepId);
    const item = number(data.item);
    const slot = `${stepId}\u0000${item ?? ""}`;
    endAt = Math.max(endAt, event.at);
    switch (event.type) {
      case "step.started": {
        if (!stepId) break;
        const step = await stepSpan(stepId, event.at);
        if (item === undefined) {
          if (step.ended) step.ended = false;
          const agent = text(data.agent);
          if (agent) step.span.attributes["baton.agent"] = agent;
          step.span.attributes["baton.step.type"] = text(data.type) ?? (text(data.template) ? "pipeline" : "agent");
        }
        const attempt = number(data.attempt);
        if (attempt === undefined) break;
        if (item === undefined) step.span.attributes["baton.attempts"] = attempt;
        const agent = text(data.agent) ?? text(step.span.attributes["baton.agent"]);
        const open: Open = {
          ended: false,
          span: {
            traceId,
            spanId: await spanIdOf("attempt", e.id, stepId, item ?? "", attempt),
            parentSpanId: step.span.spanId,
            name: agent ? `invoke_agent ${agent}` : `attempt ${attempt}`,
            startMs: event.at,
            endMs: event.at,
            attributes: {
              "baton.execution.id": e.id,
              "baton.step.id": stepId,
              "baton.item": item,
              "baton.agent": agent,
              "baton.attempt": attempt,
              "gen_ai.operation.name": "invoke_agent",
              "gen_ai.agent.name": agent,
            },
            status: "unset",
            endSeq: 0,
          },
        };
        attempts.set(`${slot}\u0000${attempt}`, open);
        currentAttempt.set(slot, open);
        break;
      }
      case "step.retrying":
      case "step.failed":
      case "step.completed": {
        if (!stepId) break;
        const attempt = number(data.attempt);
        const error = errorOf(data.error);
        const failed = event.type !== "step.completed";
        const message = error.message ? `${error.code ?? "error"}: ${error.message}` : undefined;
        const open = attempt === undefined ? undefined : attempts.get(`${slot}\u0000${attempt}`);
        if (open && !open.ended) {
          close(open, event, failed ? "error" : "ok", failed ? "failed" : "completed", message);
          if (error.code) open.span.attributes["error.type"] = error.code;
        }
        if (item !== undefined || event.type === "step.retrying") break;
        const step = await stepSpan(stepId, event.at);
        const outcome = text(data.status) ?? (failed ? "failed" : "completed");
        close(step, event, failed ? "error" : outcome === "skipped" ? "unset" : "ok", outcome, message);
        if (error.code) step.span.attributes["error.type"] = error.code;
        break;
      }
      case "usage.updated": {
        if (!stepId || !data.usage || typeof data.usage !== "object") break;
        const usage = data.usage as Record<string, unknown>;
        const target = currentAttempt.get(slot) ?? (await stepSpan(stepId, event.at));
        const attributes = target.span.attributes;
        const model = text(usage.model);
        if (model) attributes["gen_ai.request.model"] = model;
        const input = number(usage.inputTokens);
        const output = number(usage.outputTokens);
        if (input) attributes["gen_ai.usage.input_tokens"] = (number(attributes["gen_ai.usage.input_tokens"]) ?? 0) + input;
        if (output) attributes["gen_ai.usage.output_tokens"] = (number(attributes["gen_ai.usage.output_tokens"]) ?? 0) + output;
        addCost(attributes, "baton.cost_usd", number(usage.costUsd));
        if (target !== steps.get(stepId) && item === undefined) addCost((await stepSpan(stepId, event.at)).span.attributes, "baton.cost_usd", number(usage.costUsd));
        break;
      }
      case "step.progress": {
        const child = text(data.childExecutionId);
        if (stepId && child) (await stepSpan(stepId, event.at)).span.attributes["baton.child_execution.id"] = child;
        break;
      }
      case "execution.completed":
      case "execution.failed":
      case "execution.cancelled":
        endSeq = event.seq;
        break;
    }
  }

  // Whatever was still open when the execution ended (a cancel abandons running attempts) ends with it.
  for (const open of [...steps.values(), ...attempts.values()]) {
    if (open.ended) continue;
    open.span.endMs = endAt;
    open.span.endSeq = endSeq;
    open.span.attributes["baton.status"] = e.status === "cancelled" ? "cancelled" : "unfinished";
  }

  const root: BuiltSpan = {
    traceId,
    spanId: executionSpanId,
    ...(input.parentSpanId ? { parentSpanId: input.parentSpanId } : {}),
    name: `execution ${e.templateId}`,
    startMs: e.createdAt,
    endMs: e.endedAt ?? endAt,
    attributes: {
      "baton.execution.id": e.id,
      "baton.template.id": e.templateId,
      "baton.template.version": e.templateVersion,
      "baton.status": e.status,
      "baton.cost_usd": e.costUsd,
      "baton.error": e.error ? `${e.error.code}: ${e.error.message}` : undefined,
      "error.type": e.error?.code,
    },
    status: e.status === "completed" ? "ok" : e.status === "failed" ? "error" : "unset",
    ...(e.error ? { statusMessage: e.error.message } : {}),
    endSeq: Number.MAX_SAFE_INTEGER,
  };
  return [root, ...[...steps.values()].map((open) => open.span), ...[...attempts.values()].map((open) => open.span)];
}
