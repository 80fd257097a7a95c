/**
 * Starting what a trigger asks for: `startExecution` like any caller (params checked, budgets, limits and
 * rate limits counted, audited), acting as `trigger:<name>`. The idempotency key is always set by the
 * caller here, so a retried flush or a resent event reaches the execution it started before.
 */
import type { StartExecutionResponse } from "#shared/api/executions.ts";
import { startExecution } from "../execution/start.ts";
import type { Database } from "../db/client.ts";

export function startForTrigger(
  env: Env,
  db: Database,
  trigger: string,
  request: { template: string; params: Record<string, unknown>; idempotencyKey: string | null },
): Promise<StartExecutionResponse> {
  return startExecution(
    env,
    db,
    { template: request.template, params: request.params, ...(request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {}) },
    { kind: "trigger", name: trigger },
    { audit: true },
  );
}
