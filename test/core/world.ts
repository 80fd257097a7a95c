/**
 * A world for the pure core, with no runtime under it: an in-memory event log standing in for SQLite,
 * a clock that only moves when told, and the commands the core gives kept in a list for the test (or the
 * simulator) to answer, drop, duplicate or lose in a crash. `crash()` rebuilds the state from the log
 * alone, exactly as a new Durable Object instance would.
 */
import type { Template } from "#shared/template.ts";
import { applyEvent, type CoreEvent } from "../../workers/orchestrator/src/execution/core/apply.ts";
import { createExecution, handle } from "../../workers/orchestrator/src/execution/core/handle.ts";
import type { AgentReadiness, CoreCommand, CoreContext, CoreInput, Rejection } from "../../workers/orchestrator/src/execution/core/io.ts";
import { DEFAULT_LIMITS, type EngineLimits } from "../../workers/orchestrator/src/execution/core/limits.ts";
import { type ExecutionCoreState, type ExecutionFacts, initialState, type PayloadRef } from "../../workers/orchestrator/src/execution/core/state.ts";
import { freshVolatile, type Volatile } from "../../workers/orchestrator/src/execution/core/turn.ts";

export interface WorldOptions {
  params?: Record<string, unknown>;
  budgetUsd?: number | null;
  limits?: Partial<EngineLimits>;
  requiresStartApproval?: boolean;
  random?: () => number;
  /** How the agents answer `prepare`; by default every agent is ready. */
  readiness?: (agent: string, input: unknown) => AgentReadiness;
  parent?: { executionId: string; stepId: string } | null;
}

export class World {
  now = 1_000_000;
  readonly log: CoreEvent[] = [];
  /** Commands not yet answered, oldest first. */
  pending: CoreCommand[] = [];
  /** Every command ever given, in order. */
  readonly given: CoreCommand[] = [];
  state: ExecutionCoreState;
  volatile: Volatile;
  alarmAt: number | null = null;
  private readonly facts: ExecutionFacts;
  private readonly priority = 0;

  constructor(
    readonly template: Template,
    private readonly options: WorldOptions = {},
  ) {
    this.facts = {
      id: "ex_sim",
      templateId: template.id,
      templateVersion: 1,
      params: options.params ?? {},
      idempotencyKey: null,
      concurrencyKey: null,
      rateKey: null,
      parent: options.parent ?? null,
      createdBy: "sim",
      createdAt: this.now,
      budgetUsd: options.budgetUsd ?? null,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    };
    const created = createExecution(this.facts, template, this.priority, options.requiresStartApproval ?? false, this.context());
    this.state = created.state;
    this.volatile = created.volatile;
    this.take(created.events, created.commands);
  }

  context(): CoreContext {
    return {
      now: this.now,
      random: this.options.random ?? (() => 0.5),
      read: (ref) => this.read(ref),
      readItemOutputs: (stepId, afterSeq, total) => {
        const outputs = new Array<unknown>(total).fill(null);
        for (const event of this.log) {
          if (event.seq > afterSeq && event.type === "step.completed" && event.data.stepId === stepId && typeof event.data.item === "number") {
            outputs[event.data.item] = event.data.output;
          }
        }
        return outputs;
      },
      prepareAgent: (agent, input) => this.options.readiness?.(agent, input) ?? { kind: "call", handle: null },
    };
  }

  read(ref: PayloadRef): unknown {
    return this.log[ref.seq - 1]?.data[ref.field];
  }

  feed(input: CoreInput): Rejection | undefined {
    const result = handle(this.state, this.volatile, input, this.context());
    if (result.rejection) return result.rejection;
    this.take(result.events, result.commands);
    return undefined;
  }

  private take(events: CoreEvent[], commands: CoreCommand[]): void {
    this.log.push(...events);
    for (const command of commands) {
      this.given.push(command);
      if (command.type === "alarm-by") {
        if (this.alarmAt === null || this.alarmAt <= this.now || command.at < this.alarmAt) this.alarmAt = command.at;
      } else if (command.type === "clear-alarm") {
        this.alarmAt = null;
      } else if (command.type !== "save-facts" && command.type !== "usage" && command.type !== "release-lock" && command.type !== "release" && command.type !== "cancel-child" && command.type !== "notify-parent") {
        this.pending.push(command);
      }
    }
  }

  /** Takes the oldest pending command of a type (and optionally matching `where`). */
  takeCommand<T extends CoreCommand["type"]>(type: T, where: (c: Extract<CoreCommand, { type: T }>) => boolean = () => true): Extract<CoreCommand, { type: T }> | undefined {
    const index = this.pending.findIndex((c) => c.type === type && where(c as Extract<CoreCommand, { type: T }>));
    if (index < 0) return undefined;
    return this.pending.splice(index, 1)[0] as Extract<CoreCommand, { type: T }>;
  }

  /** Answers the oldest pending agent call with a success. */
  succeed(output: unknown = { ok: true }, costUsd = 0): Extract<CoreCommand, { type: "call-agent" }> | undefined {
    const call = this.takeCommand("call-agent");
    if (call) this.feed({ type: "attempt-settled", key: call.key, attempt: call.attempt, outcome: { ok: true, result: { output, usage: { costUsd } } } });
    return call;
  }

  fail(retryable = true, code = "agent_error"): Extract<CoreCommand, { type: "call-agent" }> | undefined {
    const call = this.takeCommand("call-agent");
    if (call) this.feed({ type: "attempt-settled", key: call.key, attempt: call.attempt, outcome: { ok: false, retryable, error: { code, message: "it failed" } } });
    return call;
  }

  admit(): void {
    if (this.takeCommand("enqueue")) this.feed({ type: "enqueued", admitted: true });
  }

  /** Moves the clock to the alarm (or by `ms`) and fires the timer. */
  tick(ms?: number): void {
    this.now = ms !== undefined ? this.now + ms : Math.max(this.now, this.alarmAt ?? this.now);
    this.alarmAt = null;
    this.feed({ type: "timer" });
  }

  /** A new instance: the state rebuilt from the log alone; calls in flight are gone. */
  crash(): void {
    this.state = replay(this.facts, this.template, this.priority, this.log);
    this.volatile = freshVolatile();
    this.pending = [];
    this.feed({ type: "restarted" });
  }

  statuses(): string[] {
    return this.template.steps.map((s) => this.state.steps[s.id]!.status);
  }

  eventTypes(): string[] {
    return this.log.map((e) => e.type);
  }
}

export function replay(facts: ExecutionFacts, template: Template, priority: number, log: readonly CoreEvent[]): ExecutionCoreState {
  const state = initialState(facts, template, priority);
  for (const event of log) applyEvent(state, event);
  return state;
}
