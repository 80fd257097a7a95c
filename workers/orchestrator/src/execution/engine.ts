/**
 * The engine of one execution, living inside its Durable Object. It keeps the records in memory and in
 * SQLite, writes each transition before acting on it, and drives the DAG: starts ready steps (parallel
 * branches at once), fans out forEach items under their cap, calls agents, retries with backoff, waits
 * for approvals and child pipelines, and settles the execution. `reconcile` is the watchdog's entry: it
 * picks up whatever a restart interrupted, so the work goes on where it stopped (at least once).
 */
import type { AgentTask, AgentProgress, LogLevel } from "#shared/agent.ts";
import {
  type ErrorInfo,
  type EventType,
  type ExecutionEvent,
  type ExecutionState,
  terminalExecutionStatuses,
  terminalStepStatuses,
} from "#shared/execution.ts";
import type { AgentStep, ApprovalStep, PipelineStep, Step, Template } from "#shared/template.ts";
import type { AgentPort as AgentGateway } from "../agents/port.ts";
import type { Actor } from "../audit/actor.ts";
import { actorLabel } from "../audit/actor.ts";
import { evaluateCondition } from "../templates/conditions.ts";
import { type ReferenceScope, resolveValue } from "../templates/resolve.ts";
import { type AttemptOutcome, DEFAULT_STEP_TIMEOUT_MS } from "./agent-call.ts";
import { hasAttemptsLeft, NO_RETRY, retryDelayMs } from "./backoff.ts";
import { type HistoryTarget, HistorySync } from "./history.ts";
import { executionProgress, readySteps, sinkSteps } from "./plan.ts";
import { emptyUsage, type ExecutionInit, type ExecutionRecord, newStepRecord, type StepRecord, WHOLE_STEP } from "./records.ts";
import { buildExecutionState } from "./state-view.ts";
import { parseLockSpec } from "../locks/semaphore.ts";
import { NEW_EXECUTION_WATCH_MS } from "../dispatcher/watch-list.ts";
import { ExecutionStorage } from "./storage.ts";
import { sseFrame } from "./sse.ts";
import { Subscribers } from "./subscribers.ts";

/**
 * While anything runs, the alarm fires at least this often to catch attempts a restart interrupted: it
 * bounds how long a crash stalls an execution. In its first seconds after admission an execution leaves
 * this to the dispatcher (dispatcher/watch-list.ts), so one that ends by then never sets an alarm.
 */
const WATCHDOG_MS = 10_000;
const MAX_LOG_MESSAGE = 4000;
/** A lock's lease outlasts the attempt's timeout by this much, so only a crashed holder loses it. */
const LOCK_LEASE_GRACE_MS = 60_000;

/** How the engine reaches outside its object: child executions and the parent of a child. */
export interface EngineLinks {
  startChild(parent: { executionId: string; stepId: string }, step: PipelineStep, params: Record<string, unknown>): Promise<string>;
  cancelChild(childId: string, reason: string): Promise<void>;
  childStatus(childId: string): Promise<ExecutionState | undefined>;
  notifyParent(parent: { executionId: string; stepId: string }, execution: ExecutionState): Promise<void>;
  publishLifecycle(event: ExecutionEvent): void;
  agents: AgentGateway;
  history: HistoryTarget;
  locks: {
    acquire(name: string, request: { holder: string; executionId: string; stepKey: string; leaseMs: number }, capacity: number): Promise<{ granted: boolean; position?: number; heldBy?: string[] }>;
    release(name: string, holder: string): Promise<void>;
  };
  dispatcher: {
    enqueue(entry: { executionId: string; templateId: string; templateLimit: number | null; concurrencyKey: string | null; priority: number }): Promise<{ admitted: boolean }>;
    release(executionId: string): Promise<void>;
  };
}

/** The pseudo step id under which, in approval mode, the start of an execution is approved. */
export const START_APPROVAL_STEP = "$start";

export class EngineError extends Error {
  constructor(
    readonly code: "invalid_state" | "not_found" | "validation_failed",
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

function keyOf(stepId: string, item: number): string {
  return `${stepId}#${item}`;
}

export class Engine {
  readonly subscribers = new Subscribers();
  private readonly storage: ExecutionStorage;
  private readonly history: HistorySync;
  private readonly stepsById: Map<string, Step>;
  private readonly records = new Map<string, StepRecord>();
  /** The whole-step records of `records` by step id: the DAG asks for them many times per step. */
  private readonly stepRecords = new Map<string, StepRecord>();
  /** Outputs of the completed whole steps, as references see them (`steps.<id>.output`). */
  private readonly completedOutputs: Record<string, { output: unknown }> = {};
  /** Counts steps that reached a final status, so that `pump` knows when to look again. */
  private settledCount = 0;
  /** Attempts whose agent call is in flight in this instance, by step key → attempt number. */
  private readonly inflight = new Map<string, number>();
  /** Steps with a lock request under way in this instance. */
  private readonly acquiring = new Set<string>();
  private seq: number;
  private alarmAt: number | null = null;
  /** Whether an alarm may be set (by this instance, or by an earlier one of a stored execution). */
  private alarmMayBeSet = true;
  /** Until then the dispatcher is this execution's watchdog (it was admitted in this instance). */
  private dispatcherWatchesUntil = 0;

  private constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly links: EngineLinks,
    private execution: ExecutionRecord,
    private readonly template: Template,
    storage: ExecutionStorage,
    steps: StepRecord[],
  ) {
    this.storage = storage;
    this.stepsById = new Map(template.steps.map((s) => [s.id, s]));
    const stored = new Map(steps.map((record) => [keyOf(record.stepId, record.item), record]));
    // Whole steps in template order; a step that never started has no row yet: it is pending.
    for (const step of template.steps) this.remember(stored.get(keyOf(step.id, WHOLE_STEP)) ?? newStepRecord(step.id));
    for (const [key, record] of stored) if (!this.records.has(key)) this.remember(record);
    this.seq = storage.lastEventSeq();
    this.history = new HistorySync(links.history, () => this.historySnapshot(), (p) => ctx.waitUntil(p));
  }

  /** The engine of an existing execution, or undefined when this object holds none. */
  static load(ctx: DurableObjectState, env: Env, links: EngineLinks): Engine | undefined {
    const storage = ExecutionStorage.open(ctx.storage.sql);
    const execution = storage?.loadExecution();
    const template = storage?.loadTemplate();
    if (!storage || !execution || !template) return undefined;
    return new Engine(ctx, env, links, execution, template, storage, storage.loadSteps());
  }

  /** Records a new execution as `queued`; its D1 row goes with the next history flush (ExecutionDO.initialize awaits it). */
  static create(ctx: DurableObjectState, env: Env, links: EngineLinks, init: ExecutionInit): Engine {
    const storage = ExecutionStorage.create(ctx.storage.sql);
    const execution: ExecutionRecord = {
      id: init.id,
      templateId: init.template.id,
      templateVersion: init.templateVersion,
      status: "queued",
      params: init.params,
      priority: init.priority,
      idempotencyKey: init.idempotencyKey,
      concurrencyKey: init.concurrencyKey,
      rateKey: init.rateKey,
      parent: init.parent,
      createdBy: init.createdBy,
      createdAt: Date.now(),
      startedAt: null,
      endedAt: null,
      error: null,
      reason: null,
      costUsd: 0,
      failing: null,
      budgetUsd: init.budgetUsd,
      startApproval: init.requiresStartApproval ? "pending" : null,
    };
    if (init.requiresStartApproval) execution.status = "waiting";
    storage.saveTemplate(init.template);
    storage.saveExecution(execution);
    const engine = new Engine(ctx, env, links, execution, init.template, storage, []);
    engine.alarmMayBeSet = false;
    engine.emit("execution.queued", { templateId: execution.templateId, version: execution.templateVersion, priority: execution.priority });
    if (init.requiresStartApproval) {
      engine.emit("approval.required", { stepId: START_APPROVAL_STEP, message: `Start "${init.template.name}"?`, timeoutAt: null, onTimeout: null });
    }
    // Step rows are written as steps start: the summary row is all a new execution needs in D1.
    engine.history.markExecution(true);
    if (init.audit) engine.history.addAudit(init.audit);
    return engine;
  }

  get id(): string {
    return this.execution.id;
  }

  get status() {
    return this.execution.status;
  }

  state(): ExecutionState {
    return buildExecutionState(this.execution, this.template, this.records, this.seq, this.executionOutput());
  }

  eventsAfter(afterSeq: number, limit: number, types?: readonly EventType[]): ExecutionEvent[] {
    return this.storage.eventsAfter(this.execution.id, afterSeq, limit, types);
  }

  /** An SSE stream of every event after `afterSeq`, live until the execution ends. */
  openStream(afterSeq: number): ReadableStream<Uint8Array> {
    const backlog: ExecutionEvent[] = [];
    for (let after = afterSeq; ; ) {
      const page = this.storage.eventsAfter(this.execution.id, after, 1000);
      backlog.push(...page);
      if (page.length < 1000) break;
      after = page[page.length - 1]!.seq;
    }
    return this.subscribers.open(backlog.map(sseFrame), terminalExecutionStatuses.has(this.execution.status));
  }

  /** Hands the execution's pending history rows to the history writer. */
  flushHistory(): Promise<void> {
    return this.history.flush();
  }

  /** Waits until D1 has the execution's history rows. */
  commitHistory(): Promise<void> {
    return this.history.commit();
  }

  // ---- lifecycle ------------------------------------------------------------------------------------

  /** Asks the dispatcher for a place (again, if need be) and begins when admitted at once. */
  async enqueue(): Promise<void> {
    if (this.execution.status !== "queued") return;
    const admission = await this.links.dispatcher.enqueue({
      executionId: this.execution.id,
      templateId: this.execution.templateId,
      templateLimit: this.template.concurrency?.limit ?? null,
      concurrencyKey: this.execution.concurrencyKey,
      priority: this.execution.priority,
    });
    if (admission.admitted) this.admit();
    // While queued, the watchdog re-asks in case the dispatcher's word that we may start is lost.
    else this.setAlarmBy(Date.now() + WATCHDOG_MS);
  }

  /** The dispatcher admitted this execution: start it. */
  admit(): void {
    if (this.execution.status === "queued") {
      this.dispatcherWatchesUntil = Date.now() + NEW_EXECUTION_WATCH_MS;
      this.updateExecution({ status: "running", startedAt: this.execution.startedAt ?? Date.now() });
      this.emit("execution.started", {});
      this.pump();
    } else if (this.execution.status !== "running" && this.execution.status !== "waiting") {
      // Cancelled or paused meanwhile: give the place back.
      this.ctx.waitUntil(this.links.dispatcher.release(this.execution.id).catch(() => {}));
    }
  }

  /** The dispatcher hands the watchdog over: from now on this execution keeps its own alarm. */
  armWatchdog(): void {
    this.dispatcherWatchesUntil = 0;
    if (!terminalExecutionStatuses.has(this.execution.status)) this.armAlarm();
  }

  /** Changes the priority of an execution that is still queued. */
  setPriority(priority: number): void {
    if (this.execution.status !== "queued") {
      throw new EngineError("invalid_state", `Only a queued execution can be reprioritized; this one is ${this.execution.status}.`);
    }
    this.updateExecution({ priority });
  }

  cancel(reason: string, actor: Actor): void {
    if (terminalExecutionStatuses.has(this.execution.status)) {
      throw new EngineError("invalid_state", `The execution is already ${this.execution.status}; nothing to cancel.`);
    }
    const now = Date.now();
    for (const record of this.records.values()) {
      if (terminalStepStatuses.has(record.status)) continue;
      if (record.childExecutionId && record.status === "running") {
        this.ctx.waitUntil(this.links.cancelChild(record.childExecutionId, `parent cancelled: ${reason}`).catch(() => {}));
      }
      this.saveRecord({ ...this.releaseLocks(record), status: "cancelled", endedAt: now, waitingFor: null, wakeAt: null, deadlineAt: null });
    }
    this.inflight.clear();
    this.finish("cancelled", null, { reason, by: actorLabel(actor) });
  }

  pause(actor: Actor, reason: string | null): void {
    const status = this.execution.status;
    if (status !== "running" && status !== "waiting" && status !== "queued") {
      throw new EngineError("invalid_state", `Only a queued, running or waiting execution can be paused; this one is ${status}.`);
    }
    this.updateExecution({ status: "paused", reason });
    this.emit("execution.paused", { by: actorLabel(actor), reason });
    // A paused execution that has not started holds no place in the queue.
    if (status === "queued") this.ctx.waitUntil(this.links.dispatcher.release(this.execution.id).catch(() => {}));
  }

  async resume(actor: Actor): Promise<void> {
    if (this.execution.status !== "paused") {
      throw new EngineError("invalid_state", `Only a paused execution can be resumed; this one is ${this.execution.status}.`);
    }
    const next = this.execution.startApproval === "pending" ? "waiting" : this.execution.startedAt === null ? "queued" : "running";
    this.updateExecution({ status: next, reason: null });
    this.emit("execution.resumed", { by: actorLabel(actor) });
    if (next === "queued") await this.enqueue();
    else if (next === "running") await this.reconcile();
  }

  /** Runs a failed execution again from its failed steps; completed steps keep their outputs. */
  retry(actor: Actor): void {
    if (this.execution.status !== "failed") {
      throw new EngineError("invalid_state", `Only a failed execution can be retried; this one is ${this.execution.status}.`);
    }
    for (const record of [...this.records.values()]) {
      if (record.item !== WHOLE_STEP) continue;
      if (record.status === "failed" || record.status === "cancelled" || record.status === "pending") {
        this.storage.deleteItems(record.stepId);
        for (const key of [...this.records.keys()]) {
          if (key.startsWith(`${record.stepId}#`) && !key.endsWith(`#${WHOLE_STEP}`)) this.records.delete(key);
        }
        // Attempt numbers go on (agents see this is not the first try) while the retry budget starts afresh.
        this.saveRecord({ ...newStepRecord(record.stepId), attempt: record.attempt, attemptBase: record.attempt, usage: record.usage });
      }
    }
    this.updateExecution({ status: "running", error: null, failing: null, endedAt: null, reason: null });
    this.emit("execution.resumed", { by: actorLabel(actor), retry: true });
    this.pump();
  }

  async resolveApproval(stepId: string, approved: boolean, actor: Actor, comment: string | null): Promise<void> {
    if (stepId === START_APPROVAL_STEP) return this.resolveStartApproval(approved, actor, comment);
    const record = this.stepRecords.get(stepId);
    const step = this.stepsById.get(stepId);
    if (!record || !step) throw new EngineError("not_found", `The execution has no step "${stepId}".`);
    if (step.type !== "approval") throw new EngineError("invalid_state", `Step "${stepId}" is not an approval step.`);
    if (record.status !== "waiting") {
      throw new EngineError("invalid_state", `Step "${stepId}" is not waiting for approval (it is ${record.status}).`);
    }
    if (terminalExecutionStatuses.has(this.execution.status)) {
      throw new EngineError("invalid_state", `The execution is already ${this.execution.status}.`);
    }
    this.settleApproval(record, approved, actorLabel(actor), comment);
    this.pump();
  }

  private async resolveStartApproval(approved: boolean, actor: Actor, comment: string | null): Promise<void> {
    if (this.execution.startApproval !== "pending") {
      throw new EngineError("invalid_state", "This execution's start is not waiting for approval.");
    }
    const by = actorLabel(actor);
    this.emit("approval.resolved", { stepId: START_APPROVAL_STEP, approved, by, comment, at: Date.now() });
    if (!approved) {
      this.updateExecution({ startApproval: null });
      this.finish("cancelled", null, { reason: `start rejected by ${by}${comment ? `: ${comment}` : ""}`, by });
      return;
    }
    this.updateExecution({ startApproval: null, status: "queued" });
    await this.enqueue();
  }

  /** A child execution (of a `pipeline` step) ended. */
  childSettled(stepId: string, child: ExecutionState): void {
    const record = this.stepRecords.get(stepId);
    if (!record || record.status !== "running" || record.childExecutionId !== child.id) return;
    if (child.status === "completed") {
      this.completeRecord(record, child.output, { ...emptyUsage(), costUsd: child.costUsd });
    } else {
      this.failRecord(record, {
        code: child.status === "cancelled" ? "child_cancelled" : "child_failed",
        message: `Child execution ${child.id} ${child.status}${child.error ? `: ${child.error.message}` : ""}.`,
      });
    }
    this.pump();
  }

  /**
   * The watchdog: resumes attempts a restart interrupted, starts retries that are due, times out
   * approvals, and checks on child executions; then moves the DAG on and re-arms the alarm.
   */
  async reconcile(): Promise<void> {
    if (terminalExecutionStatuses.has(this.execution.status)) {
      await this.history.flush();
      return;
    }
    if (this.execution.status === "queued") return this.enqueue();
    if (this.execution.startApproval === "pending") return;
    const now = Date.now();
    for (const record of [...this.records.values()]) {
      const step = this.stepsById.get(record.stepId);
      if (!step) continue;
      const key = keyOf(record.stepId, record.item);
      if (record.status === "running" && step.type === "agent" && record.itemCount === null && !this.inflight.has(key)) {
        // Not the agent's failure: the interrupted attempt does not use up the step's retries.
        // Its locks are asked for again before the next attempt; still held, that just extends the lease.
        const interrupted = { ...record, attemptBase: record.attemptBase + 1, locksHeld: [] };
        this.attemptFailed(interrupted, step, { code: "interrupted", message: "The attempt was interrupted by a restart." }, true);
      } else if (record.status === "running" && step.type === "pipeline" && record.childExecutionId) {
        const child = await this.links.childStatus(record.childExecutionId);
        if (child && terminalExecutionStatuses.has(child.status)) this.childSettled(record.stepId, child);
      } else if (record.status === "running" && step.type === "pipeline" && !record.childExecutionId && record.startedAt !== null && now - record.startedAt > WATCHDOG_MS) {
        this.startPipeline(step, record);
      } else if ((record.status === "retrying" || (record.status === "waiting" && step.type === "agent")) && record.wakeAt !== null && record.wakeAt <= now) {
        if (step.type === "agent" && this.execution.status !== "paused") this.startAttempt(step, record);
      } else if (record.status === "waiting" && step.type === "approval" && record.wakeAt !== null && record.wakeAt <= now) {
        this.settleApproval(record, step.onTimeout === "approve", "system:timeout", "timed out");
      }
    }
    this.pump();
    this.ctx.waitUntil(this.history.flushStale().catch((error) => console.error("history flush failed; will retry", error)));
  }

  // ---- the DAG ---------------------------------------------------------------------------------------

  private statusOf = (stepId: string) => this.stepRecords.get(stepId)?.status ?? "pending";

  /** Starts whatever can start, settles the execution when nothing is left, and re-arms the alarm. */
  private pump(): void {
    const status = this.execution.status;
    if (status === "queued" || this.execution.startApproval === "pending" || terminalExecutionStatuses.has(status)) return;
    const canStart = () => status !== "paused" && this.execution.failing === null;
    let hasReady = false;
    // Again only when something settled on the spot (a skip, a false `when`, a refused start): what
    // needs it may be ready now. Started steps settle later, in a turn of their own.
    for (let again = true; again; ) {
      const settledBefore = this.settledCount;
      const { ready, skipped } = readySteps(this.template.steps, this.statusOf);
      for (const { step, reason } of skipped) this.skip(step, reason);
      hasReady = false;
      for (const step of ready) {
        if (!canStart()) {
          hasReady = true;
          break;
        }
        const record = this.stepRecords.get(step.id)!;
        if (step.when !== undefined && !this.conditionHolds(step, record)) continue;
        this.startStep(step, record);
      }
      if (canStart()) this.startDueItems();
      again = this.settledCount !== settledBefore;
    }
    if (status === "paused") {
      this.armAlarm();
      return;
    }
    const wholeSteps = this.template.steps.map((s) => this.statusOf(s.id));
    const progress = executionProgress(wholeSteps, canStart() && hasReady);
    if (progress.state === "settled") {
      if (progress.failed) this.finish("failed", this.execution.failing ?? this.firstStepError(), {});
      else this.finish("completed", null, {});
      return;
    }
    const next = progress.waiting ? "waiting" : "running";
    if (next !== status) this.updateExecution({ status: next });
    this.armAlarm();
  }

  private conditionHolds(step: Step, record: StepRecord): boolean {
    try {
      if (evaluateCondition(step.when!, this.scope())) return true;
      this.skip(step, "its `when` condition is false");
    } catch (error) {
      this.failRecord(record, { code: "invalid_reference", message: `when: ${(error as Error).message}` });
    }
    return false;
  }

  private skip(step: Step, reason: string): void {
    const record = this.stepRecords.get(step.id)!;
    const now = Date.now();
    this.saveRecord({ ...record, status: "skipped", startedAt: now, endedAt: now, waitingFor: null });
    this.emit("step.completed", { stepId: step.id, status: "skipped", reason });
  }

  private startStep(step: Step, record: StepRecord): void {
    if (step.type === "approval") return this.startApproval(step, record);
    if (step.type === "pipeline") return this.startPipeline(step, record);
    if (step.forEach) return this.startFanOut(step, record);
    let input: unknown;
    try {
      input = resolveValue(step.input ?? {}, this.scope());
    } catch (error) {
      return this.failRecord(record, { code: "invalid_reference", message: `input: ${(error as Error).message}` });
    }
    this.startAttempt(step, { ...record, input });
  }

  private startAttempt(step: AgentStep, record: StepRecord): void {
    const budget = this.execution.budgetUsd;
    if (budget !== null && this.execution.costUsd >= budget) {
      this.failRecord(record, {
        code: "budget_exceeded",
        message: `Spent $${this.execution.costUsd.toFixed(4)} of the $${budget.toFixed(4)} budget; no further step starts.`,
      });
      return;
    }
    const missingLocks = (step.locks ?? []).map(parseLockSpec).filter((lock) => !record.locksHeld.includes(lock.name));
    if (missingLocks.length > 0) return this.acquireLocks(step, record, missingLocks);
    const readiness = this.links.agents.prepare(step.agent, record.input);
    if (readiness.kind === "fail") return this.failRecord(record, readiness.error);
    if (readiness.kind === "wait") {
      // Waiting on the agent itself (e.g. its circuit is open) does not use up an attempt.
      const waiting: StepRecord = { ...record, status: "waiting", waitingFor: readiness.reason, wakeAt: readiness.retryAt, deadlineAt: null };
      this.saveRecord(waiting);
      if (record.status !== "waiting") this.emit("step.progress", this.stepEventData(waiting, { waitingFor: readiness.reason, wakeAt: readiness.retryAt }));
      return;
    }
    const now = Date.now();
    const attempt = record.attempt + 1;
    const timeoutMs = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const running: StepRecord = {
      ...record,
      status: "running",
      attempt,
      startedAt: record.startedAt ?? now,
      deadlineAt: now + timeoutMs,
      waitingFor: null,
      wakeAt: null,
    };
    const idempotencyKey = record.item === WHOLE_STEP ? `${this.execution.id}:${record.stepId}` : `${this.execution.id}:${record.stepId}:${record.item}`;
    this.saveRecord(running);
    this.emit("step.started", this.stepEventData(running, { attempt, agent: step.agent, idempotencyKey, ...(attempt === 1 ? { input: running.input } : {}) }));
    const key = keyOf(record.stepId, record.item);
    this.inflight.set(key, attempt);
    const task: AgentTask = {
      executionId: this.execution.id,
      stepId: record.stepId,
      attempt,
      idempotencyKey,
      input: running.input,
      deadline: running.deadlineAt!,
      progress: (progress: AgentProgress) => this.onProgress(key, attempt, progress),
      log: (level: LogLevel, message: string) => this.onLog(key, attempt, level, message),
    };
    this.ctx.waitUntil(
      readiness
        .call(task, timeoutMs)
        .then((outcome) => this.attemptSettled(key, attempt, this.links.agents.settle(step.agent, outcome))),
    );
  }

  private attemptSettled(key: string, attempt: number, outcome: AttemptOutcome): void {
    if (this.inflight.get(key) === attempt) this.inflight.delete(key);
    const current = this.records.get(key);
    if (!current || current.status !== "running" || current.attempt !== attempt) return;
    const record = this.releaseLocks(current);
    if (terminalExecutionStatuses.has(this.execution.status)) return;
    const step = this.stepsById.get(record.stepId) as AgentStep;
    if (outcome.ok) {
      const usage = outcome.result.usage;
      const attemptUsage = {
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        cachedTokens: usage?.cachedTokens ?? 0,
        costUsd: usage?.costUsd ?? 0,
      };
      this.completeRecord(record, outcome.result.output, attemptUsage);
    } else {
      this.attemptFailed(record, step, outcome.error, outcome.retryable);
    }
    this.pump();
  }

  private attemptFailed(record: StepRecord, step: AgentStep, error: ErrorInfo, retryable: boolean): void {
    const policy = step.retry ?? NO_RETRY;
    const attemptsThisRun = record.attempt - record.attemptBase;
    if (retryable && hasAttemptsLeft(policy, attemptsThisRun)) {
      const delay = retryDelayMs(policy, Math.max(attemptsThisRun, 1));
      const wakeAt = Date.now() + delay;
      const retrying: StepRecord = { ...record, status: "retrying", error, wakeAt, deadlineAt: null, waitingFor: `retry at ${new Date(wakeAt).toISOString()}` };
      this.saveRecord(retrying);
      this.emit("step.retrying", this.stepEventData(retrying, { attempt: record.attempt, error, nextAttemptAt: wakeAt, delayMs: delay }));
      if (delay <= 0 && this.execution.status !== "paused") this.startAttempt(step, retrying);
      return;
    }
    this.failRecord(record, error);
  }

  private completeRecord(record: StepRecord, output: unknown, usage: StepRecord["usage"]): void {
    const now = Date.now();
    const total = addUsage(record.usage, usage);
    const done: StepRecord = { ...record, status: "completed", output, usage: total, endedAt: now, error: null, deadlineAt: null, waitingFor: null, wakeAt: null };
    this.saveRecord(done);
    this.emit("step.completed", this.stepEventData(done, { attempt: done.attempt, output, durationMs: now - (done.startedAt ?? now) }));
    this.chargeUsage(done, usage);
    if (record.item !== WHOLE_STEP) this.itemSettled(record.stepId);
  }

  private failRecord(record: StepRecord, error: ErrorInfo): void {
    const failed: StepRecord = { ...record, status: "failed", error, endedAt: Date.now(), deadlineAt: null, waitingFor: null, wakeAt: null };
    this.saveRecord(failed);
    this.emit("step.failed", this.stepEventData(failed, { attempt: failed.attempt, error }));
    if (record.item !== WHOLE_STEP) {
      this.itemSettled(record.stepId);
      return;
    }
    if (this.execution.failing === null) {
      this.updateExecution({ failing: { code: error.code, message: `Step "${record.stepId}" failed: ${error.message}` } });
    }
  }

  private chargeUsage(record: StepRecord, usage: StepRecord["usage"]): void {
    if (usage.costUsd === 0 && usage.inputTokens === 0 && usage.outputTokens === 0 && usage.cachedTokens === 0) return;
    const costUsd = this.execution.costUsd + usage.costUsd;
    this.updateExecution({ costUsd });
    const step = this.stepsById.get(record.stepId);
    const now = Date.now();
    this.history.addUsage({
      executionId: this.execution.id,
      stepId: record.stepId,
      attempt: record.attempt,
      templateId: this.execution.templateId,
      agent: step?.type === "agent" ? step.agent : step?.type ?? "unknown",
      ...usage,
      day: new Date(now).toISOString().slice(0, 10),
      createdAt: now,
    });
    this.emit("usage.updated", { stepId: record.stepId, ...(record.item !== WHOLE_STEP ? { item: record.item } : {}), usage, totalCostUsd: costUsd });
  }

  // ---- locks ---------------------------------------------------------------------------------------

  private holderOf(record: StepRecord): string {
    return `${this.execution.id}:${keyOf(record.stepId, record.item)}`;
  }

  /**
   * Waits for the step's locks, asking for them one by one in name order (so that two steps needing the
   * same locks cannot each hold one the other needs). A lock that is busy tells us when it is our turn
   * (`lockGranted`); the alarm asks again in case that word is lost.
   */
  private acquireLocks(step: AgentStep, record: StepRecord, missing: { name: string; capacity: number }[]): void {
    const key = keyOf(record.stepId, record.item);
    const [next] = [...missing].sort((a, b) => (a.name < b.name ? -1 : 1));
    const waitingFor = `lock "${next!.name}"`;
    const waiting: StepRecord = { ...record, status: "waiting", waitingFor, wakeAt: Date.now() + WATCHDOG_MS, deadlineAt: null };
    this.saveRecord(waiting);
    if (record.waitingFor !== waitingFor) this.emit("step.progress", this.stepEventData(waiting, { waitingFor }));
    if (this.acquiring.has(key)) return;
    this.acquiring.add(key);
    const request = { holder: this.holderOf(record), executionId: this.execution.id, stepKey: key, leaseMs: (step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS) + LOCK_LEASE_GRACE_MS };
    this.ctx.waitUntil(
      this.links.locks
        .acquire(next!.name, request, next!.capacity)
        .then((result) => {
          this.acquiring.delete(key);
          if (result.granted) return this.lockGranted(key, next!.name);
          const current = this.records.get(key);
          if (current?.status !== "waiting") return;
          const detail = `lock "${next!.name}" (position ${result.position ?? "?"}, held by ${(result.heldBy ?? []).join(", ") || "nobody"})`;
          this.saveRecord({ ...current, waitingFor: detail });
          this.emit("step.progress", this.stepEventData(current, { waitingFor: detail }));
        })
        .catch((error: unknown) => {
          this.acquiring.delete(key);
          console.error(`asking for lock ${next!.name} failed; the alarm asks again`, error);
        }),
    );
  }

  /** A lock the step waited for is now held: go on with the next one, or start the attempt. */
  lockGranted(key: string, name: string): void {
    const record = this.records.get(key);
    const step = record && this.stepsById.get(record.stepId);
    if (!record || step?.type !== "agent" || record.status !== "waiting" || terminalExecutionStatuses.has(this.execution.status)) {
      // Not wanted any more: give the place back at once.
      if (record) this.ctx.waitUntil(this.links.locks.release(name, this.holderOf(record)).catch(() => {}));
      return;
    }
    const holding = { ...record, locksHeld: [...new Set([...record.locksHeld, name])] };
    this.saveRecord(holding);
    if (this.execution.status === "paused") return;
    this.startAttempt(step, holding);
    this.pump();
  }

  /** Gives back the locks an attempt held; returns the record without them. */
  private releaseLocks(record: StepRecord): StepRecord {
    if (record.locksHeld.length === 0) return record;
    const holder = this.holderOf(record);
    for (const name of record.locksHeld) {
      this.ctx.waitUntil(this.links.locks.release(name, holder).catch((e) => console.error(`releasing lock ${name} failed; its lease will expire`, e)));
    }
    const released = { ...record, locksHeld: [] };
    this.saveRecord(released);
    return released;
  }

  // ---- fan-out ---------------------------------------------------------------------------------------

  private startFanOut(step: AgentStep, record: StepRecord): void {
    let items: unknown;
    try {
      items = resolveValue(step.forEach!.items, this.scope());
    } catch (error) {
      return this.failRecord(record, { code: "invalid_reference", message: `forEach.items: ${(error as Error).message}` });
    }
    if (!Array.isArray(items)) {
      return this.failRecord(record, { code: "invalid_items", message: `forEach.items resolved to ${typeof items}, not an array.` });
    }
    const now = Date.now();
    const parent: StepRecord = { ...record, status: "running", attempt: 1, startedAt: now, itemCount: items.length, progress: { current: 0, total: items.length } };
    this.saveRecord(parent);
    this.emit("step.started", this.stepEventData(parent, { agent: step.agent, items: items.length }));
    const scope = this.scope();
    for (const [index, item] of items.entries()) {
      let input: unknown;
      try {
        input = resolveValue(step.input ?? {}, { ...scope, forEach: { item, index } });
      } catch (error) {
        return this.failRecord(parent, { code: "invalid_reference", message: `input (item ${index}): ${(error as Error).message}` });
      }
      this.saveRecord({ ...newStepRecord(step.id, index), input });
    }
    if (items.length === 0) this.completeRecord(parent, [], emptyUsage());
  }

  /** Starts pending items of running forEach steps while their caps allow. */
  private startDueItems(): void {
    for (const step of this.template.steps) {
      if (step.type !== "agent" || !step.forEach || this.statusOf(step.id) !== "running") continue;
      const items = this.itemsOf(step.id);
      let busy = items.filter((r) => r.status === "running" || r.status === "retrying").length;
      for (const item of items) {
        if (busy >= step.forEach.concurrency) break;
        if (item.status !== "pending") continue;
        this.startAttempt(step, item);
        busy++;
      }
    }
  }

  private itemSettled(stepId: string): void {
    const parent = this.stepRecords.get(stepId);
    if (!parent || parent.status !== "running") return;
    const items = this.itemsOf(stepId);
    const failed = items.find((r) => r.status === "failed");
    if (failed) {
      const now = Date.now();
      for (const item of items) {
        if (!terminalStepStatuses.has(item.status)) this.saveRecord({ ...item, status: "cancelled", endedAt: now, wakeAt: null, deadlineAt: null });
      }
      this.failRecord(parent, { code: failed.error?.code ?? "item_failed", message: `item ${failed.item} failed: ${failed.error?.message ?? "unknown error"}` });
      return;
    }
    const completed = items.filter((r) => r.status === "completed").length;
    const progress = { current: completed, total: items.length };
    this.saveRecord({ ...parent, progress });
    this.emit("step.progress", { stepId, status: "running", ...progress });
    if (completed === items.length) {
      const usage = items.reduce((sum, r) => addUsage(sum, r.usage), emptyUsage());
      this.completeRecord({ ...parent, progress, usage: emptyUsage() }, items.map((r) => r.output), usage);
    }
  }

  private itemsOf(stepId: string): StepRecord[] {
    const parent = this.stepRecords.get(stepId);
    const count = parent?.itemCount ?? 0;
    const items: StepRecord[] = [];
    for (let i = 0; i < count; i++) {
      const item = this.records.get(keyOf(stepId, i));
      if (item) items.push(item);
    }
    return items;
  }

  // ---- approvals and child pipelines ----------------------------------------------------------------

  private startApproval(step: ApprovalStep, record: StepRecord): void {
    let message: unknown = step.message ?? `Approve step "${step.id}"?`;
    try {
      message = resolveValue(message, this.scope());
    } catch (error) {
      return this.failRecord(record, { code: "invalid_reference", message: `message: ${(error as Error).message}` });
    }
    const now = Date.now();
    const wakeAt = step.timeoutMs !== undefined ? now + step.timeoutMs : null;
    const waiting: StepRecord = { ...record, status: "waiting", startedAt: now, waitingFor: "approval", wakeAt, input: { message } };
    this.saveRecord(waiting);
    this.emit("step.started", this.stepEventData(waiting, { type: "approval" }));
    this.emit("approval.required", { stepId: step.id, message, timeoutAt: wakeAt, onTimeout: step.onTimeout });
  }

  private settleApproval(record: StepRecord, approved: boolean, by: string, comment: string | null): void {
    const at = Date.now();
    this.emit("approval.resolved", { stepId: record.stepId, approved, by, comment, at });
    if (approved) this.completeRecord(record, { approved: true, by, comment, at }, emptyUsage());
    else this.failRecord(record, { code: "rejected", message: `Rejected by ${by}${comment ? `: ${comment}` : ""}.` });
  }

  private startPipeline(step: PipelineStep, record: StepRecord): void {
    let params: Record<string, unknown>;
    try {
      params = resolveValue(step.params ?? {}, this.scope()) as Record<string, unknown>;
    } catch (error) {
      return this.failRecord(record, { code: "invalid_reference", message: `params: ${(error as Error).message}` });
    }
    const now = Date.now();
    const running: StepRecord = {
      ...record,
      status: "running",
      attempt: 1,
      startedAt: record.startedAt ?? now,
      input: params,
      deadlineAt: step.timeoutMs !== undefined ? now + step.timeoutMs : null,
      waitingFor: `child execution of "${step.template}"`,
    };
    this.saveRecord(running);
    if (record.status === "pending") this.emit("step.started", this.stepEventData(running, { template: step.template }));
    const parent = { executionId: this.execution.id, stepId: step.id };
    this.ctx.waitUntil(
      this.links.startChild(parent, step, params).then(
        (childId) => {
          const current = this.stepRecords.get(step.id);
          if (current?.status !== "running") return;
          this.saveRecord({ ...current, childExecutionId: childId });
          this.emit("step.progress", { stepId: step.id, status: "running", current: 0, total: 1, message: `child execution ${childId}`, childExecutionId: childId });
        },
        (error: unknown) => {
          const current = this.stepRecords.get(step.id);
          if (current?.status !== "running") return;
          this.failRecord(current, { code: "child_start_failed", message: (error as Error).message });
          this.pump();
        },
      ),
    );
  }

  // ---- callbacks from agents ------------------------------------------------------------------------

  private onProgress(key: string, attempt: number, progress: AgentProgress): void {
    const record = this.records.get(key);
    if (!record || record.status !== "running" || record.attempt !== attempt) return;
    const current = Number(progress?.current);
    const total = Number(progress?.total);
    if (!Number.isFinite(current) || !Number.isFinite(total)) return;
    const message = typeof progress.message === "string" ? progress.message.slice(0, 500) : undefined;
    const next = { current, total, ...(message !== undefined ? { message } : {}) };
    this.saveRecord({ ...record, progress: next });
    this.emit("step.progress", this.stepEventData(record, { ...next, attempt }));
  }

  private onLog(key: string, attempt: number, level: LogLevel, message: string): void {
    const record = this.records.get(key);
    if (!record || record.attempt !== attempt || terminalExecutionStatuses.has(this.execution.status)) return;
    const safeLevel: LogLevel = ["debug", "info", "warn", "error"].includes(level) ? level : "info";
    this.emit("step.log", this.stepEventData(record, { attempt, level: safeLevel, message: String(message).slice(0, MAX_LOG_MESSAGE) }));
  }

  // ---- records, events, alarm ----------------------------------------------------------------------

  private finish(status: "completed" | "failed" | "cancelled", error: ErrorInfo | null, data: Record<string, unknown>): void {
    const endedAt = Date.now();
    this.updateExecution({ status, error, endedAt, failing: null, ...(status === "cancelled" ? { reason: String(data.reason ?? "") } : {}) });
    const output = status === "completed" ? this.executionOutput() : undefined;
    this.emit(`execution.${status}`, { ...data, ...(error ? { error } : {}), ...(output ? { output } : {}), costUsd: this.execution.costUsd, durationMs: endedAt - (this.execution.startedAt ?? this.execution.createdAt) });
    if (this.alarmMayBeSet) this.ctx.waitUntil(this.ctx.storage.deleteAlarm());
    this.alarmMayBeSet = false;
    this.alarmAt = null;
    // Released, the execution leaves the dispatcher's watch: a retry keeps its own alarm.
    this.dispatcherWatchesUntil = 0;
    this.ctx.waitUntil(this.links.dispatcher.release(this.execution.id).catch((e) => console.error("release failed; the dispatcher's sweep will free the place", e)));
    this.ctx.waitUntil(this.history.flush().catch((e) => console.error("final history flush failed", e)));
    if (this.execution.parent) this.ctx.waitUntil(this.links.notifyParent(this.execution.parent, this.state()).catch((e) => console.error("parent notification failed", e)));
  }

  private executionOutput(): Record<string, unknown> | null {
    if (this.execution.status !== "completed") return null;
    const output: Record<string, unknown> = {};
    for (const step of sinkSteps(this.template.steps)) {
      const record = this.stepRecords.get(step.id);
      if (record?.status === "completed") output[step.id] = record.output;
    }
    return output;
  }

  private firstStepError(): ErrorInfo {
    for (const step of this.template.steps) {
      const record = this.stepRecords.get(step.id);
      if (record?.status === "failed" && record.error) return { code: record.error.code, message: `Step "${step.id}" failed: ${record.error.message}` };
    }
    return { code: "blocked", message: "Some steps could not run because a step they need did not complete." };
  }

  private scope(): ReferenceScope {
    return { params: this.execution.params, steps: this.completedOutputs, execution: { id: this.execution.id, templateId: this.execution.templateId } };
  }

  private stepEventData(record: StepRecord, extra: Record<string, unknown>): Record<string, unknown> {
    return { stepId: record.stepId, ...(record.item !== WHOLE_STEP ? { item: record.item } : {}), status: record.status, ...extra };
  }

  /** Keeps `record` in memory (and the indexes over it); `saveRecord` also stores it. */
  private remember(record: StepRecord): StepRecord | undefined {
    const key = keyOf(record.stepId, record.item);
    const before = this.records.get(key);
    this.records.set(key, record);
    if (record.item !== WHOLE_STEP) return before;
    this.stepRecords.set(record.stepId, record);
    if (record.status === "completed") this.completedOutputs[record.stepId] = { output: record.output };
    else delete this.completedOutputs[record.stepId];
    if (terminalStepStatuses.has(record.status) && !(before && terminalStepStatuses.has(before.status))) this.settledCount++;
    return before;
  }

  private saveRecord(record: StepRecord): void {
    const before = this.remember(record);
    this.storage.saveStep(record);
    // A step that starts to wait (an approval, say) is something readers of the history act on.
    if (record.item === WHOLE_STEP) this.history.markStep(record.stepId, record.status === "waiting" && before?.status !== "waiting");
  }

  private updateExecution(changes: Partial<ExecutionRecord>): void {
    const statusChanged = changes.status !== undefined && changes.status !== this.execution.status;
    this.execution = { ...this.execution, ...changes };
    this.storage.saveExecution(this.execution);
    this.history.markExecution(statusChanged);
  }

  private emit(type: EventType, data: Record<string, unknown>): void {
    const event: ExecutionEvent = { seq: ++this.seq, type, executionId: this.execution.id, at: Date.now(), data };
    this.storage.appendEvent(event);
    if (this.subscribers.size > 0) {
      this.subscribers.publish(sseFrame(event), terminalExecutionStatuses.has(this.execution.status) && type.startsWith("execution."));
    }
    this.links.publishLifecycle(event);
  }

  /**
   * Keeps the alarm at or before the next moment something is due (a retry, a wait's end), and, while
   * anything runs, within the watchdog period and a second after each attempt's deadline. The deadlines
   * are this instance's timers' to keep; the alarm stands in for them after a restart, as the dispatcher
   * does while it watches.
   */
  private armAlarm(): void {
    const now = Date.now();
    const watchdog = now >= this.dispatcherWatchesUntil;
    let next = Number.POSITIVE_INFINITY;
    for (const record of this.records.values()) {
      if (record.status === "running" && watchdog) {
        next = Math.min(next, now + WATCHDOG_MS, record.deadlineAt === null ? next : record.deadlineAt + 1000);
      }
      if ((record.status === "retrying" || record.status === "waiting") && record.wakeAt !== null) next = Math.min(next, record.wakeAt);
    }
    if (next !== Number.POSITIVE_INFINITY) this.setAlarmBy(next);
  }

  /** Makes sure the alarm fires no later than `at`. */
  private setAlarmBy(at: number): void {
    // Moving the alarm later is never needed: an early alarm just reconciles and re-arms.
    if (this.alarmAt !== null && this.alarmAt > Date.now() && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.alarmMayBeSet = true;
    this.ctx.waitUntil(this.ctx.storage.setAlarm(at));
  }

  /** Called when the alarm fired: it is no longer set. */
  alarmFired(): void {
    this.alarmAt = null;
  }

  private historySnapshot() {
    const whole = [...this.records.values()].filter((r) => r.item === WHOLE_STEP);
    return {
      execution: this.execution,
      stepsTotal: whole.length,
      stepsDone: whole.filter((r) => terminalStepStatuses.has(r.status)).length,
      steps: whole,
      stepInfo: (stepId: string) => {
        const step = this.stepsById.get(stepId);
        return { type: step?.type ?? "agent", agent: step?.type === "agent" ? step.agent : null };
      },
    };
  }
}

function addUsage(a: StepRecord["usage"], b: StepRecord["usage"]): StepRecord["usage"] {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}
