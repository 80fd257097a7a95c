/**
 * The agent task every yardstick sends, shaped like the one Baton's engine sends for a step of the
 * bench template (`{ value: <step number> }` as input, first attempt), minus the progress and log
 * callbacks: the floor is what a bare call costs.
 */
import type { AgentTask } from "#shared/agent.ts";

const TASK_DEADLINE_MS = 10 * 60 * 1000;

export function echoTask(chainId: string, step: number): AgentTask {
  return {
    executionId: chainId,
    stepId: `s${step}`,
    attempt: 1,
    idempotencyKey: `${chainId}:s${step}`,
    input: { value: step },
    deadline: Date.now() + TASK_DEADLINE_MS,
  };
}
