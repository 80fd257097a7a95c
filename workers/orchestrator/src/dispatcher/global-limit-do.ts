/**
 * GlobalLimitDO: the lender of the global limit (`globalConcurrency` in /v1/config) to the dispatcher
 * shards. Slots are only ever lent, never made, so the limit holds exactly however many shards admit at
 * once; a shard calls here once per block of slots, not per execution.
 *
 * Every call carries the shard's own count of the slots it holds (what it stored), and the lender takes
 * it as the truth before it lends more: a grant whose answer was lost, or a shard that restarted, is
 * set right by the shard's next call. When slots run short, the lender tells the holders (they keep no
 * more than a fair share and give back as their executions end) and tells the waiting shards when slots
 * come back. docs/scale.md has the whole protocol.
 */
import { DurableObject } from "cloudflare:workers";
import { forgetConfig, loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import type { ControlPlaneObject } from "#shared/api/control-plane.ts";
import { callCounts, countCall } from "../control-plane/call-counts.ts";
import type { LenderWord } from "./slot-target.ts";
import { controlShardNamed, isControlShardName } from "../control-plane/control-shards.ts";

export const GLOBAL_LIMIT_NAME = "global";

/** A holder is asked to give back spare slots at most this often. */
const RECLAIM_EVERY_MS = 1_000;

export interface Grant extends LenderWord {
  granted: number;
}

export class GlobalLimitDO extends DurableObject<Env> {
  private readonly lent = new Map<string, number>();
  /** Shards that asked for more than they got (in memory: they also retry on their own alarm). */
  private readonly wanting = new Set<string>();
  private readonly reclaimedAt = new Map<string, number>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS lent (shard TEXT PRIMARY KEY, slots INTEGER NOT NULL)");
    for (const row of ctx.storage.sql.exec<{ shard: string; slots: number }>("SELECT shard, slots FROM lent")) this.lent.set(row.shard, row.slots);
  }

  /** The shard holds `held` slots and would like `want` more: lends what fits, and says how things stand. */
  async settle(shard: string, held: number, want: number): Promise<Grant> {
    countCall(this.ctx, "lender");
    const limit = (await loadConfig(database(this.env.DB))).globalConcurrency;
    this.setLent(shard, held);
    const othersWaiting = [...this.wanting].some((s) => s !== shard);
    const active = new Set([...[...this.lent].filter(([, n]) => n > 0).map(([s]) => s), ...this.wanting, shard]);
    const fairShare = Math.max(1, Math.floor(limit / active.size));
    let granted = 0;
    if (want > 0) {
      const free = limit - this.totalLent();
      const cap = othersWaiting ? Math.max(0, fairShare - held) : want;
      granted = Math.max(0, Math.min(want, free, cap));
      this.setLent(shard, held + granted);
      if (granted < want) this.wanting.add(shard);
      else this.wanting.delete(shard);
    } else {
      this.wanting.delete(shard);
    }
    const free = limit - this.totalLent();
    if (this.wanting.size > 0) {
      if (free > 0) this.notify([...this.wanting].filter((s) => s !== shard), "slotsAvailable");
      else this.reclaim(shard, fairShare);
    }
    return { granted, contended: this.wanting.size > 0 || free < 0, fairShare };
  }

  /** The global limit changed: shards learn it at their next call. */
  async configChanged(): Promise<void> {
    forgetConfig();
  }

  callCounts(sinceMs: number): ControlPlaneObject {
    return callCounts(this.ctx, GLOBAL_LIMIT_NAME, "lender", sinceMs);
  }

  /** What each shard holds (the queue view and tests read it). */
  lending(): Record<string, number> {
    return Object.fromEntries(this.lent);
  }

  private totalLent(): number {
    let total = 0;
    for (const n of this.lent.values()) total += n;
    return total;
  }

  private setLent(shard: string, slots: number): void {
    if ((this.lent.get(shard) ?? 0) === slots) return;
    if (slots === 0) {
      this.lent.delete(shard);
      this.ctx.storage.sql.exec("DELETE FROM lent WHERE shard = ?", shard);
    } else {
      this.lent.set(shard, slots);
      this.ctx.storage.sql.exec("INSERT OR REPLACE INTO lent (shard, slots) VALUES (?, ?)", shard, slots);
    }
  }

  /** Asks the shards holding more than a fair share to give back what they do not run. */
  private reclaim(caller: string, fairShare: number): void {
    const now = Date.now();
    const holders = [...this.lent].filter(([shard, n]) => shard !== caller && n > fairShare && now - (this.reclaimedAt.get(shard) ?? 0) >= RECLAIM_EVERY_MS).map(([shard]) => shard);
    for (const shard of holders) this.reclaimedAt.set(shard, now);
    this.notify(holders, "reclaim");
  }

  private notify(shards: string[], method: "slotsAvailable" | "reclaim"): void {
    for (const shard of shards) {
      // Control shards borrow now; a dispatcher object of an earlier version may still hold slots it borrowed.
      const stub = isControlShardName(shard) ? controlShardNamed(this.env, shard) : this.env.DISPATCHER.get(this.env.DISPATCHER.idFromName(shard));
      this.ctx.waitUntil(stub[method]().catch((error: unknown) => console.error(`dispatcher shard ${shard} did not take ${method}; it retries on its alarm`, error)));
    }
  }
}
