/**
 * How many objects share each control-plane role, from the Worker's vars (wrangler.toml `[vars]`), and
 * which one of them a key lands on. docs/scale.md says why each role shards by what it does and what
 * happens to items already queued or pending when a count changes.
 */

export type ShardedRole = "dispatcher" | "history" | "hub";

const VARIABLES: Record<ShardedRole, "DISPATCHER_SHARDS" | "HISTORY_SHARDS" | "EVENT_HUB_SHARDS"> = {
  dispatcher: "DISPATCHER_SHARDS",
  history: "HISTORY_SHARDS",
  hub: "EVENT_HUB_SHARDS",
};

/** More would make every reader's fan-out (commit every history shard, merge every hub stream) the cost. */
export const MAX_SHARDS = 64;

export class ShardConfigError extends Error {
  override name = "ShardConfigError";
}

/** The configured count for `role`: 1 when the variable is absent; an error naming the variable when it is not 1–64. */
export function shardCount(env: Partial<Record<(typeof VARIABLES)[ShardedRole], string>>, role: ShardedRole): number {
  const variable = VARIABLES[role];
  const raw = env[variable];
  if (raw === undefined || raw === "") return 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new ShardConfigError(`${variable} must be a whole number from 1 to ${MAX_SHARDS} (wrangler.toml [vars]); it is "${raw}".`);
  }
  return count;
}

/** A stable spread of keys over `count` shards (FNV-1a): the same key always lands on the same shard. */
export function shardIndex(key: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/**
 * The object name of shard `index` of a role whose single object was named `legacy` ("global"): shard 0
 * keeps that name, so a deployment that grows from one object to several finds everything the one
 * object held in shard 0.
 */
export function shardName(prefix: string, legacy: string, index: number): string {
  return index === 0 ? legacy : `${prefix}:${index}`;
}
