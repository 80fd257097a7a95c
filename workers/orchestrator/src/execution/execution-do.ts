/**
 * ExecutionDO: one Durable Object per execution, a thin shell around its Engine. Every public method is
 * an RPC the API, the RPC entrypoint or another execution calls. Control methods answer with a result
 * instead of throwing, because only an error's name and message cross RPC and callers need the code.
 */
import { DurableObject } from "cloudflare:workers";
import type { StartExecutionResponse } from "#shared/api/executions.ts";
import type { EventType, ExecutionEvent, ExecutionState } from "#shared/execution.ts";
import type { Actor } from "../audit/actor.ts";
import { LifecyclePublisher } from "../live/publish.ts";
import { Engine, type EngineLinks, EngineError } from "./engine.ts";
import { executionLinks } from "./links.ts";
import type { ExecutionInit } from "./records.ts";

export type ControlResult = { ok: true; execution: ExecutionState } | { ok: false; code: EngineError["code"]; message: string };

export class ExecutionDO extends DurableObject<Env> {
  private engine: Engine | undefined;
  private readonly links: EngineLinks;
  private readonly publisher: LifecyclePublisher;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.publisher = new LifecyclePublisher(env, ctx);
    this.links = executionLinks(env, ctx, this.publisher);
    ctx.blockConcurrencyWhile(async () => {
      this.engine = Engine.load(ctx, env, this.links);
      // A fresh instance of a live execution means the previous one is gone: pick up where it stopped.
      await this.engine?.reconcile();
    });
  }

  async initialize(init: ExecutionInit): Promise<StartExecutionResponse> {
    if (this.engine) return { id: this.engine.id, status: this.engine.status, created: false };
    const engine = Engine.create(this.ctx, this.env, this.links, init);
    this.engine = engine;
    await this.publisher.holdDuring(async () => {
      try {
        await engine.enqueue();
      } finally {
        // One handover for the start: the execution's row (already admitted, most of the time) and its audit entry.
        await engine.flushHistory();
      }
    });
    return { id: engine.id, status: engine.status, created: true };
  }

  /** The dispatcher admitted this execution. */
  async admit(): Promise<void> {
    this.engine?.admit();
  }

  /** The dispatcher's watch: this execution has run for a while, so it keeps its own watchdog alarm now. */
  async watch(): Promise<void> {
    this.engine?.armWatchdog();
  }

  setPriority(priority: number): Promise<ControlResult> {
    return this.control((engine) => engine.setPriority(priority));
  }

  getState(): ExecutionState | null {
    return this.engine?.state() ?? null;
  }

  /** SSE bytes: every event after `afterSeq`, then live ones until the execution ends. */
  stream(afterSeq: number): ReadableStream<Uint8Array> | null {
    return this.engine?.openStream(afterSeq) ?? null;
  }

  events(afterSeq: number, limit: number, types?: EventType[]): ExecutionEvent[] | null {
    return this.engine?.eventsAfter(afterSeq, Math.min(Math.max(limit, 1), 1000), types) ?? null;
  }

  cancel(reason: string, actor: Actor): Promise<ControlResult> {
    return this.control((engine) => engine.cancel(reason, actor));
  }

  pause(actor: Actor, reason: string | null = null): Promise<ControlResult> {
    return this.control((engine) => engine.pause(actor, reason));
  }

  resume(actor: Actor): Promise<ControlResult> {
    return this.control((engine) => engine.resume(actor));
  }

  retry(actor: Actor): Promise<ControlResult> {
    return this.control((engine) => engine.retry(actor));
  }

  resolveApproval(stepId: string, approved: boolean, actor: Actor, comment: string | null): Promise<ControlResult> {
    return this.control((engine) => engine.resolveApproval(stepId, approved, actor, comment));
  }

  /** A lock this execution waited for is granted. */
  async lockGranted(stepKey: string, name: string): Promise<void> {
    this.engine?.lockGranted(stepKey, name);
  }

  async childSettled(stepId: string, child: ExecutionState): Promise<void> {
    this.engine?.childSettled(stepId, child);
  }

  /** Waits until the execution's D1 rows are current (tests and shutdown paths use it). */
  async flushHistory(): Promise<void> {
    await this.engine?.commitHistory();
  }

  override async alarm(): Promise<void> {
    if (!this.engine) return;
    this.engine.alarmFired();
    await this.engine.reconcile();
  }

  private async control(action: (engine: Engine) => void | Promise<void>): Promise<ControlResult> {
    if (!this.engine) return { ok: false, code: "not_found", message: "No such execution." };
    try {
      await action(this.engine);
      return { ok: true, execution: this.engine.state() };
    } catch (error) {
      if (error instanceof EngineError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }
}
