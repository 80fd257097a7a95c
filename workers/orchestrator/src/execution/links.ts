/**
 * How an execution reaches the objects around it: child executions, its parent, the dispatcher, locks,
 * the history writer, the live feed and the agents. The engine decides; these carry its commands out.
 */
import type { PipelineStep } from "#shared/template.ts";
import { registryAgentPort } from "../agents/registry-port.ts";
import { database } from "../db/client.ts";
import { dispatcherStub } from "../dispatcher/stub.ts";
import { commitHistory, historyWriter } from "../history/writer.ts";
import type { LifecyclePublisher } from "../live/publish.ts";
import { lockStub } from "../locks/lock-do.ts";
import type { EngineLinks } from "./engine.ts";
import { startExecution } from "./start.ts";
import { executionStub } from "./stub.ts";

export function executionLinks(env: Env, ctx: DurableObjectState, publisher: LifecyclePublisher): EngineLinks {
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
    publishLifecycle(event) {
      publisher.publish(event);
    },
    agents: registryAgentPort(env, ctx),
    history: {
      write: (executionId, rows) => historyWriter(env).write(executionId, rows),
      commit: () => commitHistory(env),
    },
    locks: {
      acquire: (name, request, capacity) => lockStub(env, name).acquire(name, request, capacity),
      release: (name, holder) => lockStub(env, name).release(holder),
    },
    dispatcher: {
      enqueue: (entry) => dispatcherStub(env).enqueue(entry),
      release: (executionId) => dispatcherStub(env).release(executionId),
    },
  };
}
