/**
 * ExecutionDO: one Durable Object per execution, a thin shell around its pure core (see shell.ts and
 * core/). Every public method is an RPC the API, the RPC entrypoint, a lock, the dispatcher or another
 * execution calls; each becomes one input to the core. Control methods answer with a result instead of
 * throwing, because only an error's name and message cross RPC and callers need the code.
 */
import { DurableObject } from "cloudflare:workers";
import type { StartExecutionResponse } from "#shared/api/executions.ts";
import type { EventType, ExecutionEvent, ExecutionState } from "#shared/execution.ts";
import type { Actor } from "../audit/actor.ts";
import { actorLabel } from "../audit/actor.ts";
import type { Handover } from "../control-plane/handover.ts";
import type { ControlInput, Rejection } from "./core/io.ts";
import { executionLinks, type EngineLinks } from "./links.ts";
import type { ExecutionInit } from "./records.ts";
import { ExecutionShell } from "./shell.ts";

export type ControlResult = { ok: true; execution: ExecutionState } | { ok: false; code: Rejection["code"]; message: string };

export class ExecutionDO extends DurableObject<Env> {
  private shell: ExecutionShell | undefined;
  private readonly links: EngineLinks;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.links = executionLinks(env, ctx);
    ctx.blockConcurrencyWhile(async () => {
      // A fresh instance of a live execution means the previous one is gone: pick up where it stopped.
      this.shell = ExecutionShell.load(ctx, this.links);
    });
  }

  async initialize(init: ExecutionInit): Promise<StartExecutionResponse> {
    if (this.shell) return { id: this.shell.id, status: this.shell.status, created: false };
    const shell = ExecutionShell.create(this.ctx, this.links, init);
    this.shell = shell;
    // The start went to the control shard with the enqueue, and its "started" rows and events came back
    // with the shard's `admit` before the answer. A start that waits for an approval hands over now: either
    // way a history list made after this answer sees the execution.
    await Promise.all([shell.whenEnqueued(), shell.handOver()]);
    return { id: shell.id, status: shell.status, created: true };
  }

  /** The dispatcher admitted this execution: it starts, and answers with what the control shard records of that. */
  async admit(): Promise<Handover | null> {
    return this.shell?.admitted() ?? null;
  }

  /** The dispatcher's watch: this execution has run for a while, so it keeps its own watchdog alarm now. */
  async watch(): Promise<void> {
    this.shell?.feed({ type: "watch" });
  }

  setPriority(priority: number): Promise<ControlResult> {
    return this.control({ type: "set-priority", priority });
  }

  getState(): ExecutionState | null {
    return this.shell?.state() ?? null;
  }

  /** SSE bytes: every event after `afterSeq`, then live ones until the execution ends. */
  stream(afterSeq: number): ReadableStream<Uint8Array> | null {
    return this.shell?.openStream(afterSeq) ?? null;
  }

  events(afterSeq: number, limit: number, types?: EventType[]): ExecutionEvent[] | null {
    return this.shell?.eventsAfter(afterSeq, Math.min(Math.max(limit, 1), 1000), types) ?? null;
  }

  cancel(reason: string, actor: Actor): Promise<ControlResult> {
    return this.control({ type: "cancel", reason, by: actorLabel(actor) });
  }

  pause(actor: Actor, reason: string | null = null): Promise<ControlResult> {
    return this.control({ type: "pause", by: actorLabel(actor), reason });
  }

  resume(actor: Actor): Promise<ControlResult> {
    return this.control({ type: "resume", by: actorLabel(actor) });
  }

  retry(actor: Actor): Promise<ControlResult> {
    return this.control({ type: "retry", by: actorLabel(actor) });
  }

  resolveApproval(stepId: string, approved: boolean, actor: Actor, comment: string | null): Promise<ControlResult> {
    return this.control({ type: "approval", stepId, approved, by: actorLabel(actor), comment });
  }

  /** A lock this execution waited for is granted. */
  async lockGranted(stepKey: string, name: string): Promise<void> {
    this.shell?.feed({ type: "lock-granted", key: stepKey, name });
  }

  async childSettled(stepId: string, child: ExecutionState): Promise<void> {
    this.shell?.feed({ type: "child-settled", stepId, child });
  }

  /** A fork of this execution started: record the link (an event, even on an execution that has ended). */
  async forked(forkId: string, stepId: string): Promise<void> {
    this.shell?.feed({ type: "forked", forkId, stepId });
  }

  /**
   * Waits until the execution's D1 rows are current (tests and shutdown paths use it). Not the shell's
   * handOver, which only hands rows to the control shard.
   */
  async commitHistory(): Promise<void> {
    await this.shell?.commitHistory();
  }

  /** SQLite rows this instance wrote: the bench's rows-per-step figure. */
  rowsWritten(): number {
    return this.shell?.rowsWritten ?? 0;
  }

  override async alarm(): Promise<void> {
    await this.shell?.alarmFired();
  }

  private async control(input: ControlInput): Promise<ControlResult> {
    const shell = this.shell;
    if (!shell) return { ok: false, code: "not_found", message: "No such execution." };
    const rejection = shell.feed(input);
    if (rejection) return { ok: false, ...rejection };
    // A resume or an approved start asks the dispatcher again: answer once it has.
    await shell.whenEnqueued();
    return { ok: true, execution: shell.state() };
  }
}
