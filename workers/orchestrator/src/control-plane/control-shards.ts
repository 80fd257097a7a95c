/**
 * Reaching the control shards. A control shard is one object that is, for the executions whose key lands
 * on it, their dispatcher shard (queue and limits), their history writer and their live-feed shard, so an
 * execution calls one object when it starts and once when it ends (docs/scale.md, docs/decisions/0005).
 *
 * An execution of a template with a concurrency limit goes to the shard of its template (or of its
 * template and concurrency key), so that one object counts that limit; an execution of a template without
 * one goes to the shard of its own id, so a busy template spreads over every shard. Names carry the count
 * (`control:<count>:<index>`), so a change of CONTROL_SHARDS never mixes two spreads in one object: the
 * shards of the old count drain what they hold.
 */
import { shardCount, shardIndex } from "../config/shards.ts";
import { groupOf, type RunningEntry } from "../dispatcher/admission.ts";

/** What names an execution's place in the control plane: its shard follows from it. */
export type QueueTicket = RunningEntry;

export function controlShardNames(env: Env): string[] {
  const count = shardCount(env);
  return Array.from({ length: count }, (_, index) => `control:${count}:${index}`);
}

export function controlShardNamed(env: Env, name: string) {
  return env.CONTROL_SHARD.get(env.CONTROL_SHARD.idFromName(name));
}

/** The name of the shard an execution belongs to. */
export function controlShardNameOf(env: Env, ticket: QueueTicket): string {
  const names = controlShardNames(env);
  const key = ticket.templateLimit === null ? ticket.executionId : groupOf(ticket);
  return names[shardIndex(key, names.length)]!;
}

export function controlShardOf(env: Env, ticket: QueueTicket) {
  return controlShardNamed(env, controlShardNameOf(env, ticket));
}

/** Shard 0: it takes what belongs to no execution (budget alerts) and is the one that attempts webhook deliveries. */
export function firstControlShard(env: Env) {
  return controlShardNamed(env, controlShardNames(env)[0]!);
}

/** Whether `name` is a control shard's (a dispatcher object of earlier versions has another name). */
export function isControlShardName(name: string): boolean {
  return name.startsWith("control:");
}
