/**
 * The imperative shell around the execution's pure core (core/): it loads the state, feeds the core each
 * input, and carries out what comes back in a fixed order — the turn's events stored first (one row),
 * then sent to subscribers and the live feed, then the calls, whose answers come back as inputs.
 */
import type { AgentProgress, AgentTask, LogLevel, StreamChunk } from "#shared/agent.ts";
import { type EventType, type ExecutionEvent, type ExecutionState, lifecycleEventTypes, terminalEventTypes, terminalExecutionStatuses } from "#shared/execution.ts";
import type { QueueTicket } from "../control-plane/control-shards.ts";
import type { Handover } from "../control-plane/handover.ts";
import { logRowOf } from "../history/log-rows.ts";
import type { AttemptOutcome } from "./agent-call.ts";
import type { CoreEvent } from "./core/apply.ts";
import { createExecution, handle, type TurnResult } from "./core/handle.ts";
import type { CoreCommand, CoreContext, CoreInput, Rejection } from "./core/io.ts";
import { DEFAULT_LIMITS } from "./core/limits.ts";
import { executionOutput } from "./core/pump.ts";
import { type ExecutionCoreState, publicStatus } from "./core/state.ts";
import { freshVolatile, Turn, type Volatile } from "./core/turn.ts";
import { Handovers, type HistorySnapshot } from "./handovers.ts";
import { historySnapshotOf } from "./history-snapshot.ts";
import { type EngineLinks, withRetries } from "./links.ts";
import type { ExecutionInit } from "./records.ts";
import { sseFrame } from "./sse.ts";
import { buildExecutionState } from "./state-view.ts";
import { ExecutionStorage, withExecutionId } from "./storage.ts";
import { StreamBuffer } from "./stream-buffer.ts";
import { Subscribers } from "./subscribers.ts";

type AgentCall = (task: AgentTask, timeoutMs: number) => Promise<AttemptOutcome>;

export class ExecutionShell {
  readonly subscribers = new Subscribers();
  private readonly handovers: Handovers;
  private alarmAt: number | null = null;
  /** Whether an alarm may be set (by this instance, or by an earlier one of a stored execution). */
  private alarmMayBeSet = true;
  /** The dispatcher's answer to the last enqueue, for those who wait for it (a start). */
  private enqueued: Promise<void> = Promise.resolve();
  /** The status the history last heard of. */
  private historyStatus: string | null = null;

  private constructor(
    private readonly ctx: DurableObjectState,
    private readonly links: EngineLinks,
    private readonly storage: ExecutionStorage,
    private readonly core: ExecutionCoreState,
    private readonly volatile: Volatile,
  ) {
    this.handovers = new Handovers(links.control, () => this.historySnapshot(), () => this.queueTicket(), (p) => ctx.waitUntil(p));
  }

  /** The stored execution, after telling the core that nothing in flight survived; undefined when none is stored. */
  static load(ctx: DurableObjectState, links: EngineLinks): ExecutionShell | undefined {
    const storage = ExecutionStorage.open(ctx.storage.sql, (fn) => ctx.storage.transactionSync(fn));
    const loaded = storage?.load();
    if (!storage || !loaded) return undefined;
    const shell = new ExecutionShell(ctx, links, storage, loaded.state, freshVolatile());
    shell.feed({ type: "restarted" });
    return shell;
  }

  static create(ctx: DurableObjectState, links: EngineLinks, init: ExecutionInit): ExecutionShell {
    const storage = ExecutionStorage.create(ctx.storage.sql);
    const facts = {
      id: init.id,
      templateId: init.template.id,
      templateVersion: init.templateVersion,
      params: init.params,
      idempotencyKey: init.idempotencyKey,
      concurrencyKey: init.concurrencyKey,
      rateKey: init.rateKey,
      parent: init.parent,
      createdBy: init.createdBy,
      createdAt: Date.now(),
      budgetUsd: init.budgetUsd,
      limits: init.limits ?? DEFAULT_LIMITS,
      forkedFrom: init.fork ? { executionId: init.fork.executionId, stepId: init.fork.stepId } : null,
    };
    storage.saveRun({ facts, template: init.template, priority: init.priority });
    const created = createExecution(facts, init.template, init.priority, init.requiresStartApproval, {
      ...placeholderContext(),
      now: facts.createdAt,
    }, init.fork);
    const shell = new ExecutionShell(ctx, links, storage, created.state, created.volatile);
    shell.alarmMayBeSet = false;
    // The summary row is all a new execution needs in D1; step rows are written as steps start.
    if (init.audit) shell.handovers.addAudit(init.audit);
    shell.carryOut(created);
    return shell;
  }

  get id(): string {
    return this.core.facts.id;
  }

  get status() {
    return publicStatus(this.core);
  }

  /** Counts SQLite rows this instance wrote (the bench's rows-per-step figure). */
  get rowsWritten(): number {
    return this.storage.rowsWritten;
  }

  /** Resolves once the dispatcher has answered the last enqueue. */
  whenEnqueued(): Promise<void> {
    return this.enqueued;
  }

  /** Feeds one input to the core and carries out its answer; a control input that does not apply is returned as a rejection. */
  feed(input: CoreInput): Rejection | undefined {
    const result = handle(this.core, this.volatile, input, this.context());
    if (result.rejection) return result.rejection;
    this.carryOut(result);
    return undefined;
  }

  state(): ExecutionState {
    const output = this.core.status === "completed" ? executionOutput(new Turn(this.core, this.volatile, this.context())) : null;
    return buildExecutionState(this.core, this.storage, output);
  }

  eventsAfter(afterSeq: number, limit: number, types?: readonly EventType[]): ExecutionEvent[] {
    return this.storage.eventsAfter(afterSeq, limit, types).map((event) => withExecutionId(this.id, event));
  }

  /** An SSE stream of every event after `afterSeq`, live until the execution ends. */
  openStream(afterSeq: number): ReadableStream<Uint8Array> {
    return this.subscribers.open(
      afterSeq,
      (after) => this.eventsAfter(after, 200).map((event) => ({ seq: event.seq, frame: sseFrame(event) })),
      () => terminalExecutionStatuses.has(this.core.status),
      (p) => this.ctx.waitUntil(p),
    );
  }

  /** The dispatcher admitted this execution: it starts, and answers with what its control shard should record. */
  admitted(): Handover | null {
    this.feed({ type: "admitted" });
    return this.handovers.take();
  }

  /** Hands what is pending to the control shard. */
  handOver(): Promise<void> {
    return this.handovers.flush();
  }

  /** Waits until D1 has the execution's history rows. */
  commitHistory(): Promise<void> {
    return this.handovers.commit();
  }

  async alarmFired(): Promise<void> {
    this.alarmAt = null;
    if (terminalExecutionStatuses.has(this.core.status)) return this.handovers.flush();
    this.feed({ type: "timer" });
    this.ctx.waitUntil(this.handovers.flushStale().catch((error) => console.error("handover to the control shard failed; will retry", error)));
  }

  private context(): CoreContext {
    return {
      now: Date.now(),
      random: Math.random,
      read: (ref) => this.storage.read(ref),
      readItemOutputs: (stepId, afterSeq, total) => this.storage.readItemOutputs(stepId, afterSeq, total),
      prepareAgent: (agent, input) => {
        const readiness = this.links.agents.prepare(agent, input);
        return readiness.kind === "call" ? { kind: "call", handle: readiness.call } : readiness;
      },
    };
  }

  private carryOut({ events, commands }: TurnResult): void {
    const statusBefore = this.historyStatus;
    this.storage.append(events, this.core);
    if (commands.some((c) => c.type === "save-facts")) {
      this.storage.saveRun({ facts: this.core.facts, template: this.core.template, priority: this.core.priority });
    }
    for (const event of events) this.publish(event);
    this.markHistory(events, statusBefore);
    for (const command of commands) this.run(command);
  }

  private publish(event: CoreEvent): void {
    const full = withExecutionId(this.id, event);
    if (this.subscribers.size > 0) this.subscribers.publish(event.seq, sseFrame(full), terminalEventTypes.has(event.type));
    if (lifecycleEventTypes.has(full.type)) this.handovers.addEvent(full);
    const logRow = logRowOf(full);
    if (logRow) this.handovers.addLog(logRow);
  }

  private markHistory(events: readonly CoreEvent[], statusBefore: string | null): void {
    const status = publicStatus(this.core);
    const statusChanged = status !== statusBefore;
    this.historyStatus = status;
    let execution = statusChanged;
    for (const event of events) {
      const stepId = event.data.stepId;
      if (event.type === "usage.updated") execution = true;
      if (typeof stepId !== "string" || event.data.item !== undefined || !this.core.steps[stepId]) continue;
      if (event.type === "step.log" || event.type === "step.stream" || (event.type === "step.progress" && event.data.status !== "waiting")) continue;
      // A step that starts to wait (an approval, say) is something readers of the history act on.
      this.handovers.markStep(stepId, event.data.status === "waiting");
    }
    if (execution) this.handovers.markExecution(statusChanged);
  }

  private run(command: CoreCommand): void {
    const { links, ctx } = this;
    const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
    switch (command.type) {
      case "call-agent":
        return this.callAgent(command);
      case "acquire-lock": {
        const { key, name } = command;
        const request = { holder: command.holder, executionId: this.id, stepKey: key, leaseMs: command.leaseMs };
        return waitUntil(
          links.locks.acquire(name, request, command.capacity).then(
            (result) =>
              this.feed(
                result.granted
                  ? { type: "lock-granted", key, name }
                  : { type: "lock-busy", key, name, position: result.position ?? null, heldBy: result.heldBy ?? [] },
              ),
            (error: unknown) => {
              console.error(`asking for lock ${name} failed; the alarm asks again`, error);
              this.feed({ type: "lock-failed", key });
            },
          ),
        );
      }
      case "release-lock":
        return waitUntil(links.locks.release(command.name, command.holder).catch((e) => console.error(`releasing lock ${command.name} failed; its lease will expire`, e)));
      case "start-child": {
        const { stepId } = command;
        return waitUntil(
          links.startChild({ executionId: this.id, stepId }, command.step, command.params).then(
            (childId) => this.feed({ type: "child-started", stepId, childId }),
            (error: unknown) => this.feed({ type: "child-start-failed", stepId, message: (error as Error).message }),
          ),
        );
      }
      case "cancel-child":
        return waitUntil(links.cancelChild(command.childId, command.reason).catch(() => {}));
      case "check-child":
        return waitUntil(
          links.childStatus(command.childId).then((child) => {
            if (child && terminalExecutionStatuses.has(child.status)) this.feed({ type: "child-settled", stepId: command.stepId, child });
          }),
        );
      case "notify-parent":
        if (this.core.facts.parent) waitUntil(links.notifyParent(this.core.facts.parent, this.state()).catch((e) => console.error("parent notification failed", e)));
        return;
      case "enqueue":
        return this.begin();
      case "release":
        return this.end();
      case "alarm-by":
        return this.setAlarmBy(command.at);
      case "clear-alarm":
        if (this.alarmMayBeSet) waitUntil(ctx.storage.deleteAlarm());
        this.alarmMayBeSet = false;
        this.alarmAt = null;
        return;
      case "usage": {
        const now = Date.now();
        const { usage } = command;
        return this.handovers.addUsage({
          executionId: this.id,
          stepId: command.stepId,
          attempt: command.attempt,
          templateId: this.core.facts.templateId,
          agent: command.agent,
          ...usage,
          day: new Date(now).toISOString().slice(0, 10),
          createdAt: now,
        });
      }
      case "save-facts":
        return;
    }
  }

  private callAgent(command: Extract<CoreCommand, { type: "call-agent" }>): void {
    const { key, attempt } = command;
    const task: AgentTask = {
      executionId: this.id,
      stepId: command.stepId,
      attempt,
      idempotencyKey: command.idempotencyKey,
      input: command.input,
      deadline: command.deadline,
      progress: (progress: AgentProgress) => void this.feed({ type: "progress", key, attempt, progress }),
      log: (level: LogLevel, message: string) => void this.feed({ type: "log", key, attempt, level, message }),
    };
    const streamed = new StreamBuffer((chunk, index) => void this.feed({ type: "stream", key, attempt, chunk, index }));
    task.stream = (chunk: StreamChunk) => streamed.push(chunk);
    const call = command.handle as AgentCall;
    this.ctx.waitUntil(
      call(task, command.timeoutMs)
        .then((outcome) => {
          // What the agent streamed is stored before its result settles the attempt.
          streamed.close();
          this.feed({ type: "attempt-settled", key, attempt, outcome: this.links.agents.settle(command.agent, outcome) });
        })
        .catch((error: unknown) => console.error(`settling attempt ${attempt} of ${key} failed`, error)),
    );
  }

  /** Asks the control shard for a place, with what the execution has to say so far (its start, most of the time). */
  private begin(): void {
    const handover = this.handovers.take();
    this.enqueued = this.links.control.begin({ ...this.queueTicket(), priority: this.core.priority }, handover).then(
      (admission) => void this.feed({ type: "enqueued", admitted: admission.admitted }),
      (error: unknown) => {
        if (handover) this.handovers.putBack(handover);
        throw error;
      },
    );
    this.ctx.waitUntil(this.enqueued.catch((e) => console.error("enqueue failed; the watchdog asks again", e)));
  }

  /**
   * The execution ended (or left the queue): its place goes, with its last rows and events. When the shard
   * does not answer, those go with the next handover and the place is asked again a few times (a restarting
   * shard answers within moments); after that the shard's sweep frees it.
   */
  private end(): void {
    const ticket = this.queueTicket();
    const handover = this.handovers.take();
    const { control } = this.links;
    this.ctx.waitUntil(
      control.end(ticket, handover).catch((error: unknown) => {
        if (handover) this.handovers.putBack(handover);
        console.error("the end did not reach the control shard; asking again", error);
        return withRetries(() => control.end(ticket, null)).catch((e) => console.error("the release is left to the control shard's sweep", e));
      }),
    );
  }

  private queueTicket(): QueueTicket {
    const { facts, template } = this.core;
    return { executionId: facts.id, templateId: facts.templateId, templateLimit: template.concurrency?.limit ?? null, concurrencyKey: facts.concurrencyKey };
  }

  /** Makes sure the alarm fires no later than `at`. */
  private setAlarmBy(at: number): void {
    // Moving the alarm later is never needed: an early alarm just looks at what is due and re-arms.
    if (this.alarmAt !== null && this.alarmAt > Date.now() && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.alarmMayBeSet = true;
    this.ctx.waitUntil(this.ctx.storage.setAlarm(at));
  }

  private historySnapshot(): HistorySnapshot {
    return historySnapshotOf(this.core);
  }
}

/** The context of the create turn: nothing is stored yet and no agent is asked. */
function placeholderContext(): CoreContext {
  return {
    now: Date.now(),
    random: Math.random,
    read: () => undefined,
    readItemOutputs: (_stepId, _afterSeq, total) => new Array<unknown>(total).fill(null),
    prepareAgent: () => ({ kind: "wait", reason: "not started", retryAt: Date.now() }),
  };
}
