/** Forwards an execution's lifecycle events to the event hub behind `GET /v1/events`; never on the step hot path. */
import { type ExecutionEvent, lifecycleEventTypes } from "#shared/execution.ts";

export const EVENT_HUB_NAME = "global";

export function eventHub(env: Env) {
  return env.EVENT_HUB.get(env.EVENT_HUB.idFromName(EVENT_HUB_NAME));
}

export function publishLifecycleEvent(env: Env, ctx: DurableObjectState, event: ExecutionEvent): void {
  if (!lifecycleEventTypes.has(event.type)) return;
  ctx.waitUntil(eventHub(env).publish(event).catch((error: unknown) => console.error("event hub publish failed", error)));
}
