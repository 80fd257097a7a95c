/**
 * One attempt of an agent step: the call over the service binding, bounded by the step's timeout, with
 * the outcome sorted into what the engine needs to decide between completing, retrying and failing.
 */
import { type AgentResult, type AgentService, type AgentTask, isNonRetryableError } from "#shared/agent.ts";
import type { ErrorInfo } from "#shared/execution.ts";

export type AttemptOutcome =
  | { ok: true; result: AgentResult }
  | { ok: false; error: ErrorInfo; retryable: boolean };

export const DEFAULT_STEP_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_ERROR_MESSAGE = 2000;

class AttemptTimeout extends Error {}

export async function callAgent(agent: AgentService, task: AgentTask, timeoutMs: number): Promise<AttemptOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeout()), timeoutMs);
  });
  try {
    const result = await Promise.race([agent.run(task), timeout]);
    if (result === null || typeof result !== "object" || !("output" in result)) {
      return {
        ok: false,
        retryable: false,
        error: { code: "invalid_agent_result", message: "The agent returned no { output } object." },
      };
    }
    // The callbacks passed in the task stay alive until the call's result is disposed: free them now.
    const settled = { output: result.output, ...(result.usage ? { usage: result.usage } : {}) };
    (result as Partial<Disposable>)[Symbol.dispose]?.();
    return { ok: true, result: settled };
  } catch (error) {
    return classifyFailure(error, timeoutMs);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export function classifyFailure(error: unknown, timeoutMs: number): AttemptOutcome & { ok: false } {
  if (error instanceof AttemptTimeout) {
    return { ok: false, retryable: true, error: { code: "timeout", message: `The attempt took longer than ${timeoutMs} ms.` } };
  }
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_MESSAGE);
  if (isNonRetryableError(error)) return { ok: false, retryable: false, error: { code: "non_retryable", message } };
  return { ok: false, retryable: true, error: { code: "agent_error", message: message || "The agent failed." } };
}
