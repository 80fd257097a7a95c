/**
 * How an execution reaches the objects around it: child executions, its parent, the dispatcher, locks,
 * the history writer, the live feed and the agents. The engine decides; these carry its commands out.
 * Each control-plane role is sharded (docs/scale.md): the links pick the execution's shard of each.
 */
import type { PipelineStep } from "#shared/template.ts";
import { registryAgentPort } from "../agents/registry-port.ts";
import { database } from "../db/client.ts";
import type { RunningEntry } from "../dispatcher/admission.ts";
import { dispatcherNamed, dispatcherShardOf } from "../dispatcher/stub.ts";
import { LogShipper } from "../history/log-shipper.ts";
import { commitHistory, historyWriter } from "../history/writer.ts";
import type { LifecyclePublisher } from "../live/publish.ts";
import { lockStub } from "../locks/lock-do.ts";
import type { ExecutionEvent, ExecutionState } from "#shared/execution.ts";
import type { AgentPort } from "../agents/port.ts";
import type { HistoryTarget } from "./history.ts";
import { startExecution } from "./start.ts";
import { executionStub } from "./stub.ts";

/** What names an execution's place in the queue: its shard follows from it (dispatcher/stub.ts). */
export type QueueTicket = RunningEntry;

/** How the shell reaches outside its object; each member carries out one kind of the core's commands. */
export interface EngineLinks {
  startChild(parent: { executionId: string; stepId: string }, step: PipelineStep, params: Record<string, unknown>): Promise<string>;
  cancelChild(childId: string, reason: string): Promise<void>;
  childStatus(childId: string): Promise<ExecutionState | undefined>;
  notifyParent(parent: { executionId: string; stepId: string }, execution: ExecutionState): Promise<void>;
  publishLifecycle(event: ExecutionEvent): void;
  agents: AgentPort;
  history: HistoryTarget;
  locks: {
    acquire(
      name: string,
      request: { holder: string; executionId: string; stepKey: string; leaseMs: number },
      capacity: number,
    ): Promise<{ granted: boolean; position?: number; heldBy?: string[] }>;
    release(name: string, holder: string): Promise<void>;
  };
  dispatcher: {
    enqueue(entry: QueueTicket & { priority: number }): Promise<{ admitted: boolean }>;
    /** Takes the same ticket as `enqueue`, so that it reaches the one shard that holds the execution. */
    release(ticket: QueueTicket): Promise<void>;
  };
}

export function executionLinks(env: Env, ctx: DurableObjectState, publisher: LifecyclePublisher): EngineLinks {
  /** The dispatcher shard this execution was queued on, by this instance (see `release`). */
  let queuedOn: string | undefined;
  const logShipper = new LogShipper(env, ctx);
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
    // Every event passes here: lifecycle events go to the live feed, log lines to D1's logs table.
    publishLifecycle(event) {
      publisher.publish(event);
      logShipper.ship(event);
    },
    agents: registryAgentPort(env, ctx),
    history: {
      write: (executionId, rows) => historyWriter(env, executionId).write(executionId, rows),
      // The object is named by its execution id: only that id's writer holds its rows.
      commit: async () => {
        const id = ctx.id.name;
        if (id === undefined) return commitHistory(env);
        const result = await historyWriter(env, id).commit();
        if (!result.ok) throw new Error(result.error);
      },
    },
    locks: {
      acquire: (name, request, capacity) => lockStub(env, name).acquire(name, request, capacity),
      release: (name, holder) => lockStub(env, name).release(holder),
    },
    dispatcher: {
      enqueue: (entry) => {
        queuedOn = dispatcherShardOf(env, entry);
        return dispatcherNamed(env, queuedOn).enqueue(entry);
      },
      // The ticket names the shard, so a release is one call even from an instance that did not enqueue
      // (the object restarted since). Only a change of the shard count since the enqueue misses: the old
      // shard's sweep frees that place (it finds the ended execution in D1 within about a minute), as it
      // does when a shard that is restarting does not answer the few tries below.
      release: (ticket) => {
        const shard = queuedOn ?? dispatcherShardOf(env, ticket);
        return withRetries(() => dispatcherNamed(env, shard).release(ticket.executionId));
      },
    },
  };
}

const RETRY_DELAYS_MS = [100, 500];

async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await call();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return call();
}
