/**
 * What a trace is built from, read once per ended execution: its row and its ancestors' in D1 (for the
 * trace id and the parent step's span), its template version's `needs`, and its event log from its
 * Durable Object, page by page.
 */
import type { ExecutionEvent } from "#shared/execution.ts";
import type { Template } from "#shared/template.ts";
import { executionStub } from "../execution/stub.ts";
import { spanIdOf, traceIdOf } from "./otlp.ts";
import type { TraceInput } from "./trace-builder.ts";

const EVENT_PAGE = 1000;
/** An execution with more events than this is traced from its first ones only (logged). */
export const MAX_TRACED_EVENTS = 50_000;
const MAX_ANCESTORS = 16;

interface ExecutionRow {
  id: string;
  template_id: string;
  template_version: number;
  status: string;
  parent_execution_id: string | null;
  idempotency_key: string | null;
  error: string | null;
  cost_usd: number;
  created_at: number;
  ended_at: number | null;
}

async function executionRow(d1: D1Database, id: string): Promise<ExecutionRow | null> {
  return d1
    .prepare(
      "SELECT id, template_id, template_version, status, parent_execution_id, idempotency_key, error, cost_usd, created_at, ended_at FROM executions WHERE id = ?",
    )
    .bind(id)
    .first<ExecutionRow>();
}

/**
 * A sub-pipeline's execution hangs under its parent's step span. Its start's idempotency key is
 * `<parent>:<step>` (execution/links.ts); anything else hangs it under the parent's execution span.
 */
async function parentSpan(row: ExecutionRow): Promise<string | undefined> {
  const parent = row.parent_execution_id;
  if (!parent) return undefined;
  const key = row.idempotency_key ?? "";
  return key.startsWith(`${parent}:`) ? spanIdOf("step", parent, key.slice(parent.length + 1)) : spanIdOf("execution", parent);
}

async function rootOf(d1: D1Database, row: ExecutionRow): Promise<string> {
  let current = row;
  for (let depth = 0; current.parent_execution_id && depth < MAX_ANCESTORS; depth++) {
    const parent = await executionRow(d1, current.parent_execution_id);
    if (!parent) return current.parent_execution_id;
    current = parent;
  }
  return current.id;
}

async function needsOf(d1: D1Database, row: ExecutionRow): Promise<Map<string, string[]>> {
  const version = await d1
    .prepare("SELECT definition FROM template_versions WHERE template_id = ? AND version = ?")
    .bind(row.template_id, row.template_version)
    .first<{ definition: string }>();
  const needs = new Map<string, string[]>();
  if (!version) return needs;
  const template = JSON.parse(version.definition) as Template;
  for (const step of template.steps) if (step.needs) needs.set(step.id, step.needs);
  return needs;
}

async function eventsOf(env: Env, id: string): Promise<ExecutionEvent[]> {
  const stub = executionStub(env, id);
  const events: ExecutionEvent[] = [];
  for (let after = 0; events.length < MAX_TRACED_EVENTS; ) {
    const page = (await stub.events(after, EVENT_PAGE)) ?? [];
    events.push(...page);
    const last = page[page.length - 1];
    if (!last || page.length < EVENT_PAGE) return events;
    after = last.seq;
  }
  console.error(`execution ${id} has more than ${MAX_TRACED_EVENTS} events; its trace shows the first ${MAX_TRACED_EVENTS}`);
  return events;
}

/** Everything the trace of `id` needs, or null when D1 has no such execution. */
export async function traceSource(env: Env, id: string): Promise<TraceInput | null> {
  const row = await executionRow(env.DB, id);
  if (!row) return null;
  const [traceId, parentSpanId, needs, events] = await Promise.all([
    rootOf(env.DB, row).then(traceIdOf),
    parentSpan(row),
    needsOf(env.DB, row),
    eventsOf(env, id),
  ]);
  return {
    execution: {
      id: row.id,
      templateId: row.template_id,
      templateVersion: row.template_version,
      status: row.status,
      createdAt: row.created_at,
      endedAt: row.ended_at,
      costUsd: row.cost_usd,
      error: row.error ? (JSON.parse(row.error) as { code: string; message: string }) : null,
    },
    traceId,
    ...(parentSpanId ? { parentSpanId } : {}),
    needs,
    events,
  };
}
