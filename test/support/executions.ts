/** Starting executions and waiting for them in tests, through the public API. */
import { env } from "cloudflare:workers";
import type { ExecutionState } from "#shared/execution.ts";
import type { TemplateInput } from "./templates.ts";
import { commitHistory } from "../../workers/orchestrator/src/history/writer.ts";
import { apiJson } from "./api.ts";

export async function saveTemplate(template: TemplateInput): Promise<void> {
  await apiJson(`/v1/templates/${template.id}`, { method: "PUT", body: template, expect: [200, 201] });
}

export async function start(template: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  const { id } = await apiJson<{ id: string }>("/v1/executions", { body: { template, params, ...extra }, expect: 202 });
  return id;
}

export async function getExecution(id: string): Promise<ExecutionState> {
  return apiJson<ExecutionState>(`/v1/executions/${id}`);
}

/** Polls until `done` holds for the execution (default: it ended), or fails after `timeoutMs`. */
export async function waitFor(
  id: string,
  done: (e: ExecutionState) => boolean = (e) => ["completed", "failed", "cancelled"].includes(e.status),
  timeoutMs = 15_000,
): Promise<ExecutionState> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await getExecution(id);
    if (done(state)) return state;
    if (Date.now() > until) throw new Error(`execution ${id} did not get there in ${timeoutMs} ms; last state: ${JSON.stringify(state, null, 1).slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until D1's history has every row executions handed over so far (tests that read D1 directly). */
export async function historyInD1(): Promise<void> {
  await commitHistory(env);
}
