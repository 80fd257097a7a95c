/**
 * The little of Baton's HTTP API the reliability runs use, and the wait for a set of executions to end.
 * Plain fetch on purpose: a run must see every status and body as the server sent it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LocalStack } from "../../bench/local-stack.ts";
import type { Tally } from "./agents/flaky/src/tally.ts";

/** A start under a burst waits its turn behind hundreds of others: generous, but bounded. */
const START_TIMEOUT_MS = 180_000;

/** Reads that broke and were asked again, for the report. */
export const brokenReads: string[] = [];

export const ENDED = new Set(["completed", "failed", "cancelled"]);

export interface ExecutionSummary {
  id: string;
  status: string;
}

export interface StepView {
  id: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  error: { code: string; message: string } | null;
}

export interface ExecutionView extends ExecutionSummary {
  steps: StepView[];
  output: unknown;
}

export class Api {
  private readonly stack: Pick<LocalStack, "url" | "token">;

  constructor(stack: Pick<LocalStack, "url" | "token">) {
    this.stack = stack;
  }

  async call<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    // A read whose connection broke is asked again (and counted: a broken connection is a finding);
    // a write is not, since it may have happened.
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${this.stack.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.stack.token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
        const message = `${method} ${path}: ${error instanceof Error ? error.message : String(error)}${cause}`;
        if (method !== "GET" || attempt >= 3) throw new Error(message);
        brokenReads.push(message);
        await sleep(500);
        continue;
      }
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    }
  }

  putTemplate(template: { id: string; [field: string]: unknown }): Promise<unknown> {
    return this.call("PUT", `/v1/templates/${template.id}`, template);
  }

  async start(template: string, params: Record<string, unknown> = {}): Promise<string> {
    return (await this.call<{ id: string }>("POST", "/v1/executions", { template, params }, START_TIMEOUT_MS)).id;
  }

  /**
   * Starts `count` executions with at most `inFlight` start requests open at once; their ids in order
   * and how long each start request took (ms).
   */
  async startMany(template: string, count: number, inFlight = 200): Promise<{ ids: string[]; latencies: number[] }> {
    const ids: string[] = new Array(count);
    const latencies: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        const sent = Date.now();
        ids[index] = await this.start(template);
        latencies.push(Date.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
    return { ids, latencies };
  }

  execution(id: string): Promise<ExecutionView> {
    return this.call("GET", `/v1/executions/${id}`);
  }

  /** Every execution of a template, by id, through the cursor pages. */
  async statuses(template: string): Promise<Map<string, string>> {
    const byId = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const query = `template=${encodeURIComponent(template)}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page: { executions: ExecutionSummary[]; nextCursor: string | null } = await this.call("GET", `/v1/executions?${query}`);
      for (const execution of page.executions) byId.set(execution.id, execution.status);
      cursor = page.nextCursor;
    } while (cursor);
    return byId;
  }

  /** Runs a one-step template on the flaky agent that returns the call counts of `scope`. */
  async tally(scope: string, maxCalls: number): Promise<Tally> {
    const id = `rel-tally-${scope}`;
    await this.putTemplate({ id, name: `Reliability: tally of ${scope}`, steps: [{ id: "tally", agent: "flaky", input: { scope, tally: { maxCalls } } }] });
    const executionId = await this.start(id);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const execution = await this.execution(executionId);
      if (execution.status === "completed") return (execution.output as { tally: Tally }).tally;
      if (ENDED.has(execution.status)) throw new Error(`the tally execution ${executionId} ended ${execution.status}`);
      await sleep(250);
    }
    throw new Error(`the tally execution ${executionId} did not end within 60 s`);
  }
}

/**
 * Polls until every one of `ids` has ended or `timeoutMs` passed; the last statuses seen, by id. A poll
 * that fails (the runtime restarting) is retried until the deadline.
 */
export async function waitForEnd(api: Api, template: string, ids: readonly string[], timeoutMs: number): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  let statuses = new Map<string, string>();
  for (;;) {
    try {
      statuses = await api.statuses(template);
    } catch {
      // Retried below.
    }
    if (ids.every((id) => ENDED.has(statuses.get(id) ?? ""))) return statuses;
    if (Date.now() > deadline) return statuses;
    await sleep(1_000);
  }
}

/** Counts of `ids` by status ("missing" for ids the list did not return). */
export function countStatuses(ids: readonly string[], statuses: Map<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const status = statuses.get(id) ?? "missing";
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioResult {
  name: string;
  seconds: number;
  checks: Check[];
  metrics: Record<string, unknown>;
}

/** p50 and max of some durations (ms). */
export function latencySummary(values: readonly number[]): { p50: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

export function check(name: string, ok: boolean, detail: string): Check {
  return { name, ok, detail };
}
