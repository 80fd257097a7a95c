/**
 * How many control shards there are, from the Worker's vars (wrangler.toml `[vars]` CONTROL_SHARDS), and
 * which one of them a key lands on. docs/scale.md says why the control plane shards by what it does and
 * what happens to items already queued or pending when the count changes.
 */

const VARIABLE = "CONTROL_SHARDS";

/** More would make every reader's fan-out (commit every history shard, merge every feed stream) the cost. */
export const MAX_SHARDS = 64;

export class ShardConfigError extends Error {
  override name = "ShardConfigError";
}

/** The configured count: 1 when the variable is absent; an error naming the variable when it is not 1–64. */
export function shardCount(env: { CONTROL_SHARDS?: string }): number {
  const raw = env[VARIABLE];
  if (raw === undefined || raw === "") return 1;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) {
    throw new ShardConfigError(`${VARIABLE} must be a whole number from 1 to ${MAX_SHARDS} (wrangler.toml [vars]); it is "${raw}".`);
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
