/**
 * TraceExporterDO: exports ended executions as OpenTelemetry traces, off every execution's path. The
 * history writer, which sees each execution's status reach D1, hands over the ids of those that ended
 * (only while `otel.endpoint` is set); this object keeps them in its SQLite, and on its alarm builds
 * their traces from their event logs and POSTs them in batches over OTLP/HTTP JSON. A refused batch is
 * retried with backoff and given up after MAX_TRIES (logged). A retried execution that ends again
 * exports only the spans that ended since its last export, plus its execution span.
 */
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { exportRequest, parseOtlpHeaders, tracesUrl } from "./otlp.ts";
import { type BuiltSpan, buildTrace } from "./trace-builder.ts";
import { traceSource } from "./trace-source.ts";

/** Ends that arrive within this wait share a batch. */
const BATCH_DELAY_MS = 1000;
const EXECUTIONS_PER_BATCH = 25;
const MAX_TRIES = 6;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
const EXPORT_TIMEOUT_MS = 10_000;
/** Forget when an execution was exported after this long: a retry later exports it whole again. */
const EXPORTED_RETENTION_MS = 7 * 86_400_000;

export const TRACE_EXPORTER_NAME = "global";

export function traceExporter(env: Env) {
  return env.TRACE_EXPORTER.get(env.TRACE_EXPORTER.idFromName(TRACE_EXPORTER_NAME));
}

/** The optional secret with the exporter's headers (API keys): not in wrangler.toml, so not in the generated Env. */
function headersSecret(env: Env): string | undefined {
  return (env as Env & { OTEL_EXPORTER_OTLP_HEADERS?: string }).OTEL_EXPORTER_OTLP_HEADERS;
}

export class TraceExporterDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec("CREATE TABLE IF NOT EXISTS queue (execution_id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, tries INTEGER NOT NULL DEFAULT 0)");
    sql.exec("CREATE TABLE IF NOT EXISTS exported (execution_id TEXT PRIMARY KEY, through_seq INTEGER NOT NULL, at INTEGER NOT NULL)");
  }

  /** These executions ended (their rows are in D1): export their traces within BATCH_DELAY_MS. */
  async executionsEnded(ids: string[]): Promise<void> {
    const due = Date.now() + BATCH_DELAY_MS;
    for (const id of ids) {
      this.ctx.storage.sql.exec("INSERT INTO queue (execution_id, due_at) VALUES (?, ?) ON CONFLICT (execution_id) DO UPDATE SET due_at = excluded.due_at, tries = 0", id, due);
    }
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > due) await this.ctx.storage.setAlarm(due);
  }

  /** How many ended executions wait to be exported (tests, and anyone wondering why a trace is late). */
  pending(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM queue").one().n;
  }

  override async alarm(): Promise<void> {
    const config = (await loadConfig(database(this.env.DB))).otel;
    const sql = this.ctx.storage.sql;
    if (!config.endpoint) {
      // Export was turned off meanwhile: what waited is not sent later to an endpoint set much later.
      sql.exec("DELETE FROM queue");
      return;
    }
    const now = Date.now();
    sql.exec("DELETE FROM exported WHERE at < ?", now - EXPORTED_RETENTION_MS);
    const batch = sql
      .exec<{ execution_id: string; tries: number }>("SELECT execution_id, tries FROM queue WHERE due_at <= ? ORDER BY due_at LIMIT ?", now, EXECUTIONS_PER_BATCH)
      .toArray();
    if (batch.length > 0) await this.exportBatch(batch, config.endpoint, config.serviceName);
    const next = sql.exec<{ due: number | null }>("SELECT MIN(due_at) AS due FROM queue").one().due;
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 10));
  }

  private async exportBatch(batch: { execution_id: string; tries: number }[], endpoint: string, serviceName: string): Promise<void> {
    const sql = this.ctx.storage.sql;
    const spans: BuiltSpan[] = [];
    const exportedThrough = new Map<string, number>();
    for (const { execution_id: id } of batch) {
      try {
        const source = await traceSource(this.env, id);
        if (!source) continue;
        const through = sql.exec<{ through_seq: number }>("SELECT through_seq FROM exported WHERE execution_id = ?", id).toArray()[0]?.through_seq ?? 0;
        const built = await buildTrace(source);
        spans.push(...built.filter((span) => span.endSeq > through));
        exportedThrough.set(id, Math.max(0, ...source.events.map((event) => event.seq)));
      } catch (error) {
        console.error(`trace of execution ${id} could not be built; skipped`, error);
      }
    }
    const ids = batch.map((row) => row.execution_id);
    const problem = spans.length === 0 ? null : await this.post(endpoint, serviceName, spans);
    if (problem === null) {
      for (const id of ids) sql.exec("DELETE FROM queue WHERE execution_id = ?", id);
      for (const [id, seq] of exportedThrough) {
        sql.exec("INSERT INTO exported (execution_id, through_seq, at) VALUES (?, ?, ?) ON CONFLICT (execution_id) DO UPDATE SET through_seq = excluded.through_seq, at = excluded.at", id, seq, Date.now());
      }
      return;
    }
    for (const { execution_id: id, tries } of batch) {
      if (problem.final || tries + 1 >= MAX_TRIES) {
        console.error(`trace of execution ${id} dropped after ${tries + 1} tries: ${problem.message}`);
        sql.exec("DELETE FROM queue WHERE execution_id = ?", id);
      } else {
        const delay = Math.min(1000 * 2 ** (tries + 1), MAX_RETRY_DELAY_MS);
        sql.exec("UPDATE queue SET tries = ?, due_at = ? WHERE execution_id = ?", tries + 1, Date.now() + delay, id);
      }
    }
  }

  /** Null when the collector took the spans; otherwise why not, and whether trying again could help. */
  private async post(endpoint: string, serviceName: string, spans: BuiltSpan[]): Promise<{ message: string; final: boolean } | null> {
    const body = JSON.stringify(exportRequest(spans, { serviceName, serviceVersion: this.env.BATON_VERSION }));
    try {
      const response = await fetch(tracesUrl(endpoint), {
        method: "POST",
        headers: { ...parseOtlpHeaders(headersSecret(this.env)), "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return null;
      // OTLP/HTTP: 429, 502, 503 and 504 are worth retrying; other refusals will not change.
      const retryable = [408, 429, 502, 503, 504].includes(response.status) || response.status >= 500;
      return { message: `the collector answered HTTP ${response.status}`, final: !retryable };
    } catch (error) {
      return { message: `the collector could not be reached (${error instanceof Error ? error.message : String(error)})`, final: false };
    }
  }
}
