/** What every control-plane object has been asked, for `GET /v1/control-plane` and the bench. */
import type { ControlPlane } from "#shared/api/control-plane.ts";
import { shardCount } from "../config/shards.ts";
import { globalLimitLender } from "../dispatcher/stub.ts";
import { controlShardNamed, controlShardNames } from "./control-shards.ts";

/** Per-second counts from `sinceMs` on (0: all kept). Rate-limit objects, one per key, are not listed. */
export async function controlPlaneLoad(env: Env, sinceMs: number): Promise<ControlPlane> {
  const objects = await Promise.all([
    ...controlShardNames(env).map((name) => controlShardNamed(env, name).callCounts(sinceMs)),
    globalLimitLender(env).callCounts(sinceMs),
  ]);
  return { shards: { control: shardCount(env) }, objects };
}
