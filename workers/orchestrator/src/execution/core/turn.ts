/**
 * One turn of the core: the execution's state, what this instance holds only in memory, the context of
 * the input being handled, and what the turn has produced so far. Every event goes through `emit`, which
 * numbers it and folds it into the state at once, so later decisions in the same turn see it.
 */
import type { EventData } from "#shared/events.ts";
import type { ErrorInfo, EventType } from "#shared/execution.ts";
import type { Step } from "#shared/template.ts";
import type { ReferenceScope } from "../../templates/resolve.ts";
import { applyEvent, type CoreEvent } from "./apply.ts";
import type { CoreCommand, CoreContext } from "./io.ts";
import type { ExecutionCoreState, PayloadRef, StepState } from "./state.ts";

/** What one instance of the execution keeps in memory only; a restart starts it afresh. */
export interface Volatile {
  /** Until then the dispatcher is this execution's watchdog (it was admitted by this instance). */
  dispatcherWatchesUntil: number;
  /** Steps (by key) with a lock request under way. */
  acquiring: Set<string>;
  /** Locks granted to a step (by key) that has not started its attempt yet, or is running it. */
  locksHeld: Map<string, Set<string>>;
  /** The resolved `forEach.items` of running fan-outs, by step id (re-resolved after a restart). */
  items: Map<string, unknown[]>;
  /** Outputs of completed steps read this instance, by step id (a completed output never changes). */
  outputs: Map<string, unknown>;
  /** When a step waiting on its agent asks again, where that moved without a new event. */
  wakeAt: Map<string, number>;
}

export function freshVolatile(): Volatile {
  return { dispatcherWatchesUntil: 0, acquiring: new Set(), locksHeld: new Map(), items: new Map(), outputs: new Map(), wakeAt: new Map() };
}

export const WHOLE_STEP = -1;

export function keyOf(stepId: string, item: number | null): string {
  return `${stepId}#${item ?? WHOLE_STEP}`;
}

/** The data every event of a step starts with: the step, and the item when it is about one. */
export function stepData<Extra extends object>(stepId: string, item: number | null, extra: Extra): { stepId: string; item?: number } & Extra {
  return { stepId, ...(item !== null ? { item } : {}), ...extra };
}

export function parseKey(key: string): { stepId: string; item: number | null } {
  const at = key.lastIndexOf("#");
  const item = Number(key.slice(at + 1));
  return { stepId: key.slice(0, at), item: item === WHOLE_STEP ? null : item };
}

export class Turn {
  readonly events: CoreEvent[] = [];
  readonly commands: CoreCommand[] = [];
  readonly stepsById: ReadonlyMap<string, Step>;

  constructor(
    readonly state: ExecutionCoreState,
    readonly volatile: Volatile,
    readonly ctx: CoreContext,
  ) {
    this.stepsById = new Map(state.template.steps.map((step) => [step.id, step]));
  }

  get now(): number {
    return this.ctx.now;
  }

  readonly random = (): number => this.ctx.random();

  /** Every event goes out through the event contract (shared/events.ts): its data is typed by its type. */
  emit<T extends EventType>(type: T, data: EventData[T]): CoreEvent {
    const event: CoreEvent = { seq: this.state.seq + 1, type, at: this.ctx.now, data };
    applyEvent(this.state, event);
    this.events.push(event);
    return event;
  }

  command(command: CoreCommand): void {
    this.commands.push(command);
  }

  step(stepId: string): StepState {
    return this.state.steps[stepId]!;
  }

  /** The output of a completed step, read from where it is stored (once per instance). */
  outputOf(stepId: string): unknown {
    if (this.volatile.outputs.has(stepId)) return this.volatile.outputs.get(stepId);
    const ref = this.step(stepId).output;
    if (ref === null) return undefined;
    const output = "items" in ref ? this.readItemOutputs(stepId, ref.afterSeq, ref.items) : this.read(ref);
    this.volatile.outputs.set(stepId, output);
    return output;
  }

  /** A stored payload, or one emitted earlier in this turn (the shell stores a turn's events after it). */
  read(ref: PayloadRef): unknown {
    const pending = this.events.find((event) => event.seq === ref.seq);
    return pending ? pending.data[ref.field] : this.ctx.read(ref);
  }

  /** The outputs of a forEach step's items, stored or completed earlier in this turn, in item order. */
  readItemOutputs(stepId: string, afterSeq: number, total: number): unknown[] {
    const outputs = this.ctx.readItemOutputs(stepId, afterSeq, total);
    for (const event of this.events) {
      if (event.type === "step.completed" && event.seq > afterSeq && event.data.stepId === stepId && typeof event.data.item === "number") {
        outputs[event.data.item] = event.data.output;
      }
    }
    return outputs;
  }

  /** What references see: params, the outputs of completed steps (read only when referenced), and failed steps' errors. */
  scope(forEach?: { item: unknown; index: number }): ReferenceScope {
    const turn = this;
    const entry = (id: string | symbol): { output?: unknown; error?: ErrorInfo } | undefined => {
      const step = typeof id === "string" ? turn.state.steps[id] : undefined;
      if (step?.status === "completed") return { output: turn.outputOf(id as string) };
      if (step?.status === "failed" && step.error) return { error: step.error };
      return undefined;
    };
    const steps = new Proxy({} as Record<string, { output?: unknown; error?: ErrorInfo }>, {
      has: (_, id) => entry(id) !== undefined,
      get: (_, id) => entry(id),
      getOwnPropertyDescriptor: (_, id) => {
        const value = entry(id);
        return value === undefined ? undefined : { configurable: true, enumerable: true, writable: false, value };
      },
    });
    const { facts } = this.state;
    return { params: facts.params, steps, execution: { id: facts.id, templateId: facts.templateId }, ...(forEach ? { forEach } : {}) };
  }
}
