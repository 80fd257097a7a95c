/** What every control-plane object has been asked, for `GET /v1/control-plane` and the bench. */
import type { ControlPlane } from "#shared/api/control-plane.ts";
import { shardCount } from "../config/shards.ts";
import { dispatcherNamed, dispatcherShardNames, globalLimitLender } from "../dispatcher/stub.ts";
import { historyWriterNamed, historyWriterNames } from "../history/writer.ts";
import { eventHubNamed, eventHubNames } from "../live/publish.ts";

/** Per-second counts from `sinceMs` on (0: all kept). Rate-limit objects, one per key, are not listed. */
export async function controlPlaneLoad(env: Env, sinceMs: number): Promise<ControlPlane> {
  const objects = await Promise.all([
    ...dispatcherShardNames(env).map((name) => dispatcherNamed(env, name).callCounts(sinceMs)),
    globalLimitLender(env).callCounts(sinceMs),
    ...historyWriterNames(env).map((name) => historyWriterNamed(env, name).callCounts(sinceMs)),
    ...eventHubNames(env).map((name) => eventHubNamed(env, name).callCounts(sinceMs)),
  ]);
  return {
    shards: { dispatcher: shardCount(env, "dispatcher"), history: shardCount(env, "history"), hub: shardCount(env, "hub") },
    objects,
  };
}
