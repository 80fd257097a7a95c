/**
 * RateLimitDO: the starts of one rate-limit key of one template ("at most 3 per theme in 30 days"), one
 * object per key, so that a limit holds exactly under concurrent starts without every start of every
 * template going through one object, and without depending on how many dispatcher shards there are (a
 * window can be 30 days long; it must outlive a change of the shard count).
 *
 * The first time an object is used it takes over the starts the single dispatcher of earlier versions
 * counted for its key, so an upgrade forgets no window.
 */
import { DurableObject } from "cloudflare:workers";
import type { ControlPlaneObject } from "#shared/api/control-plane.ts";
import { callCounts, countCall } from "../control-plane/call-counts.ts";
import { type RateVerdict, rateVerdict } from "./rate-window.ts";

export type RateStart = {
  at: number;
  executionId: string;
};

/** The rate-limit object of one template's key. */
export function rateLimiter(env: Env, templateId: string, rateKey: string) {
  return env.RATE_LIMITS.get(env.RATE_LIMITS.idFromName(`${templateId}\u0000${rateKey}`));
}

export class RateLimitDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS starts (execution_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS starts_at ON starts (at);
      CREATE TABLE IF NOT EXISTS taken_over (id INTEGER PRIMARY KEY CHECK (id = 0));`);
  }

  /** Counts a start against the limit, or refuses it when the window is full. */
  async reserve(templateId: string, rateKey: string, limit: number, windowLength: number, executionId: string): Promise<RateVerdict> {
    countCall(this.ctx, "rate");
    await this.takeOverLegacy(templateId, rateKey);
    const now = Date.now();
    this.sql.exec("DELETE FROM starts WHERE at <= ?", now - windowLength);
    const starts = this.sql.exec<{ at: number }>("SELECT at FROM starts ORDER BY at").toArray().map((row) => row.at);
    const verdict = rateVerdict(starts, limit, windowLength);
    if (verdict.ok) this.sql.exec("INSERT OR IGNORE INTO starts (execution_id, at) VALUES (?, ?)", executionId, now);
    return verdict;
  }

  /** Gives back a reserved start (the execution could not be created after all). */
  async unreserve(executionId: string): Promise<void> {
    countCall(this.ctx, "rate");
    this.sql.exec("DELETE FROM starts WHERE execution_id = ?", executionId);
  }

  callCounts(sinceMs: number): ControlPlaneObject {
    return callCounts(this.ctx, this.ctx.id.name ?? this.ctx.id.toString(), "rate", sinceMs);
  }

  private async takeOverLegacy(templateId: string, rateKey: string): Promise<void> {
    if (this.sql.exec("SELECT 1 FROM taken_over").toArray().length > 0) return;
    const legacy = this.env.DISPATCHER.get(this.env.DISPATCHER.idFromName("global"));
    for (const start of await legacy.legacyRateStarts(templateId, rateKey)) {
      this.sql.exec("INSERT OR IGNORE INTO starts (execution_id, at) VALUES (?, ?)", start.executionId, start.at);
    }
    this.sql.exec("INSERT OR IGNORE INTO taken_over (id) VALUES (0)");
  }
}
