/**
 * How an execution reaches the objects around it: child executions, its parent, its control shard
 * (dispatcher, history writer and live feed in one object: control-plane/control-shards.ts), locks and the
 * agents. The engine decides; these carry its commands out.
 */
import type { PipelineStep } from "#shared/template.ts";
import { registryAgentPort } from "../agents/registry-port.ts";
import { controlShardNamed, controlShardNameOf, type QueueTicket } from "../control-plane/control-shards.ts";
import type { Handover } from "../control-plane/handover.ts";
import { database } from "../db/client.ts";
import { lockStub } from "../locks/lock-do.ts";
import type { ExecutionState } from "#shared/execution.ts";
import type { AgentPort } from "../agents/port.ts";
import type { HandoverTarget } from "./handovers.ts";
import { startExecution } from "./start.ts";
import { executionStub } from "./stub.ts";

/** How the shell reaches outside its object; each member carries out one kind of the core's commands. */
export interface EngineLinks {
  startChild(parent: { executionId: string; stepId: string }, step: PipelineStep, params: Record<string, unknown>): Promise<string>;
  cancelChild(childId: string, reason: string): Promise<void>;
  childStatus(childId: string): Promise<ExecutionState | undefined>;
  notifyParent(parent: { executionId: string; stepId: string }, execution: ExecutionState): Promise<void>;
  agents: AgentPort;
  locks: {
    acquire(
      name: string,
      request: { holder: string; executionId: string; stepKey: string; leaseMs: number },
      capacity: number,
    ): Promise<{ granted: boolean; position?: number; heldBy?: string[] }>;
    release(name: string, holder: string): Promise<void>;
  };
  control: HandoverTarget & {
    /** Queues the execution (again: idempotent), with what it has to say so far. */
    begin(entry: QueueTicket & { priority: number }, handover: Handover | null): Promise<{ admitted: boolean }>;
    /** Frees its place, with its last rows and events. */
    end(ticket: QueueTicket, handover: Handover | null): Promise<void>;
  };
}

export function executionLinks(env: Env, ctx: DurableObjectState): EngineLinks {
  // One stub per shard: calls through one stub arrive in the order they were made, so the live feed gets
  // an execution's events in order even when a handover is still under way as the next one goes.
  // A stub whose object broke (restarted) stays broken, so a failed call drops it and the next makes a new one.
  const stubs = new Map<string, ReturnType<typeof controlShardNamed>>();
  const viaShard = async <T>(ticket: QueueTicket, call: (shard: ReturnType<typeof controlShardNamed>) => Promise<T>): Promise<T> => {
    const name = controlShardNameOf(env, ticket);
    let stub = stubs.get(name);
    if (!stub) stubs.set(name, (stub = controlShardNamed(env, name)));
    try {
      return await call(stub);
    } catch (error) {
      if (stubs.get(name) === stub) stubs.delete(name);
      throw error;
    }
  };
  return {
    async startChild(parent, step: PipelineStep, params) {
      const { id } = await startExecution(
        env,
        database(env.DB),
        { template: step.template, version: step.version, params, idempotencyKey: `${parent.executionId}:${parent.stepId}` },
        { kind: "system", name: `execution ${parent.executionId}` },
        { parent },
      );
      return id;
    },
    async cancelChild(childId, reason) {
      await executionStub(env, childId).cancel(reason, { kind: "system", name: "parent execution" });
    },
    async childStatus(childId) {
      return (await executionStub(env, childId).getState()) ?? undefined;
    },
    async notifyParent(parent, execution) {
      await executionStub(env, parent.executionId).childSettled(parent.stepId, execution);
    },
    agents: registryAgentPort(env, ctx),
    locks: {
      acquire: (name, request, capacity) => lockStub(env, name).acquire(name, request, capacity),
      release: (name, holder) => lockStub(env, name).release(holder),
    },
    control: {
      begin: (entry, handover) => viaShard(entry, async (shard) => ({ admitted: (await shard.begin(entry, handover)).admitted })),
      // Only a change of CONTROL_SHARDS since the start sends it elsewhere: the old shard's sweep frees that place.
      end: (ticket, handover) => viaShard(ticket, (shard) => shard.end(ticket, handover)),
      record: (handover) => viaShard(handover.ticket, (shard) => shard.record(handover)),
      commit: (ticket) =>
        viaShard(ticket, async (shard) => {
          const result = await shard.commit();
          if (!result.ok) throw new Error(result.error);
        }),
    },
  };
}
const RETRY_DELAYS_MS = [100, 500];

/** Tries `call` up to three times, 100 and 500 ms apart. */
export async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await call();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return call();
}
