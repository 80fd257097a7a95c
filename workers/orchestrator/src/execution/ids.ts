/** Execution ids: roughly time-ordered when random, derived from the key when the start is idempotent. */
import { sha256Hex } from "../auth/crypto.ts";

export function newExecutionId(now = Date.now()): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const suffix = [...random].map((b) => (b % 36).toString(36)).join("");
  return `ex_${now.toString(36).padStart(9, "0")}${suffix}`;
}

/**
 * The same caller, template and idempotency key always name the same execution, so a repeated start
 * finds it; another caller's key of the same text names another execution (keys are per caller, as at
 * Stripe), so no caller can find, or collide with, another's starts by guessing its keys.
 */
export async function idempotentExecutionId(callerKey: string, templateId: string, idempotencyKey: string): Promise<string> {
  return `ex_k${(await sha256Hex(`${callerKey}\n${templateId}\n${idempotencyKey}`)).slice(0, 24)}`;
}

export const EXECUTION_ID_PATTERN = /^ex_[a-z0-9]{10,40}$/;
