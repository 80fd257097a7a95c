/**
 * The read side of execution history (the writer is history-writer-do.ts): D1 only, never waking a
 * Durable Object. The list filters by status, template, agent, time and text, newest first, with an
 * opaque cursor for the next page; the rest answer the services' questions about running executions.
 */
import { and, desc, eq, exists, gte, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { ExecutionPage, ExecutionStatus, ExecutionSummary } from "#shared/execution.ts";
import type { Database } from "../db/client.ts";
import { afterCursor, encodeCursor } from "../db/cursor.ts";
import { executions, stepRuns } from "../db/schema.ts";

export interface ExecutionFilters {
  status?: ExecutionStatus[];
  template?: string;
  agent?: string;
  since?: number;
  until?: number;
  q?: string;
  /** Only executions started by this actor (`token:<name>`): what a `run` token may list. */
  createdBy?: string;
  cursor?: string;
  limit: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listExecutions(db: Database, filters: ExecutionFilters): Promise<ExecutionPage> {
  const conditions: (SQL | undefined)[] = [];
  if (filters.status && filters.status.length > 0) conditions.push(inArray(executions.status, filters.status));
  if (filters.template) conditions.push(eq(executions.templateId, filters.template));
  if (filters.createdBy !== undefined) conditions.push(eq(executions.createdBy, filters.createdBy));
  if (filters.since !== undefined) conditions.push(gte(executions.createdAt, filters.since));
  if (filters.until !== undefined) conditions.push(lte(executions.createdAt, filters.until));
  if (filters.agent) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(stepRuns)
          .where(and(eq(stepRuns.executionId, executions.id), eq(stepRuns.agent, filters.agent))),
      ),
    );
  }
  if (filters.q) {
    const pattern = `%${escapeLike(filters.q)}%`;
    conditions.push(
      or(
        sql`${executions.id} LIKE ${pattern} ESCAPE '\\'`,
        sql`${executions.templateId} LIKE ${pattern} ESCAPE '\\'`,
        sql`${executions.params} LIKE ${pattern} ESCAPE '\\'`,
        sql`${executions.error} LIKE ${pattern} ESCAPE '\\'`,
      ),
    );
  }
  if (filters.cursor) conditions.push(afterCursor(executions, filters.cursor));
  const rows = await db
    .select()
    .from(executions)
    .where(and(...conditions))
    .orderBy(desc(executions.createdAt), desc(executions.id))
    .limit(filters.limit + 1);
  const page = rows.slice(0, filters.limit);
  const last = page[page.length - 1];
  return {
    executions: page.map(
      (r): ExecutionSummary => ({
        id: r.id,
        templateId: r.templateId,
        templateVersion: r.templateVersion,
        status: r.status as ExecutionStatus,
        params: r.params,
        priority: r.priority,
        error: r.error,
        costUsd: r.costUsd,
        stepsTotal: r.stepsTotal,
        stepsDone: r.stepsDone,
        parentExecutionId: r.parentExecutionId,
        createdBy: r.createdBy,
        createdAt: r.createdAt,
        startedAt: r.startedAt,
        endedAt: r.endedAt,
      }),
    ),
    nextCursor: rows.length > filters.limit && last ? encodeCursor(last) : null,
  };
}

/** Executions that are not over yet, for bulk pause and emergency stop. */
export async function activeExecutionIds(db: Database, statuses: ExecutionStatus[]): Promise<string[]> {
  const rows = await db.select({ id: executions.id }).from(executions).where(inArray(executions.status, statuses));
  return rows.map((r) => r.id);
}

/**
 * Approvals waiting right now, from the history: approval steps, and (in approval mode) starts that
 * wait for an admin, which are executions `waiting` before they ever started.
 */
export async function waitingApprovals(db: Database): Promise<{ executionId: string; stepId: string | null; templateId: string }[]> {
  const steps = await db
    .select({ executionId: stepRuns.executionId, stepId: stepRuns.stepId, templateId: executions.templateId })
    .from(stepRuns)
    .innerJoin(executions, eq(executions.id, stepRuns.executionId))
    .where(and(eq(stepRuns.type, "approval"), eq(stepRuns.status, "waiting")))
    .orderBy(stepRuns.startedAt)
    .limit(500);
  const starts = await db
    .select({ executionId: executions.id, templateId: executions.templateId })
    .from(executions)
    .where(and(eq(executions.status, "waiting"), isNull(executions.startedAt)))
    .orderBy(executions.createdAt)
    .limit(500);
  return [...starts.map((s) => ({ ...s, stepId: null })), ...steps];
}
