/**
 * LockDO: one per named resource (`locks: ["storefront"]`), a counted semaphore with leases (see
 * semaphore.ts). Waiting executions are told when their turn comes; a lease that runs out (its holder
 * crashed) frees the place at the object's alarm. Its capacity is fixed by config (`lockCapacities`) or
 * by its first declaration, never by whichever template asked last.
 */
import { DurableObject } from "cloudflare:workers";
import type { LockState } from "#shared/api/resources.ts";
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import { executionStub } from "../execution/stub.ts";
import { type AcquireResult, acquire, grantWaiters, release, releaseExpiredLeases, type SemaphoreState, type Waiter } from "./semaphore.ts";


export class LockDO extends DurableObject<Env> {
  private state: SemaphoreState = { capacity: 1, holders: [], waiters: [] };
  private name = "";
  /** Whether some template has declared the lock already: its capacity then stands. */
  private declared = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, state TEXT NOT NULL)");
      const row = ctx.storage.sql.exec<{ name: string; state: string }>("SELECT name, state FROM lock").toArray()[0];
      if (row) {
        this.declared = true;
        this.name = row.name;
        this.state = JSON.parse(row.state) as SemaphoreState;
      }
    });
  }

  async acquire(name: string, request: Omit<Waiter, "since">, declaredCapacity: number): Promise<AcquireResult> {
    const configured = (await loadConfig(database(this.env.DB))).lockCapacities[name];
    this.name = name;
    // The config's capacity wins; else the first declaration's stands, so one template naming
    // `gpu:50` cannot widen a lock the others rely on. Places freed by expired leases go to those
    // already waiting before this request is looked at.
    const capacity = configured ?? (this.declared ? this.state.capacity : declaredCapacity);
    this.declared = true;
    this.grantAndSave(releaseExpiredLeases({ ...this.state, capacity }, Date.now()).state);
    const step = acquire(this.state, request, Date.now());
    this.save(step.state);
    return step.result;
  }

  release(holder: string): void {
    this.grantAndSave(release(this.state, holder));
  }

  /**
   * An admin frees a place by force (or every place, without `holder`). Answers the holders that held a
   * place, and the waiters taken out of line, so the answer says plainly whether anything was freed.
   */
  forceRelease(holder: string | null): { released: string[]; dequeued: string[] } {
    const named = (list: { holder: string }[]) => list.map((h) => h.holder).filter((h) => holder === null || h === holder);
    const released = named(this.state.holders);
    const dequeued = holder === null ? [] : named(this.state.waiters);
    let state = this.state;
    for (const h of [...released, ...dequeued]) state = release(state, h);
    this.grantAndSave(state);
    return { released, dequeued };
  }

  snapshot(): LockState {
    return { name: this.name, ...releaseExpiredLeases(this.state, Date.now()).state };
  }

  override async alarm(): Promise<void> {
    this.grantAndSave(releaseExpiredLeases(this.state, Date.now()).state);
  }

  private grantAndSave(state: SemaphoreState): void {
    const { state: next, granted } = grantWaiters(state, Date.now());
    this.save(next);
    for (const waiter of granted) {
      this.ctx.waitUntil(
        executionStub(this.env, waiter.executionId)
          .lockGranted(waiter.stepKey, this.name)
          .catch((error: unknown) => console.error(`could not tell ${waiter.executionId} it holds ${this.name}`, error)),
      );
    }
  }

  private save(state: SemaphoreState): void {
    this.state = state;
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO lock (id, name, state) VALUES (1, ?, ?)", this.name, JSON.stringify(state));
    const next = Math.min(...state.holders.map((h) => h.expiresAt));
    if (Number.isFinite(next)) this.ctx.waitUntil(this.ctx.storage.setAlarm(next));
  }
}

export function lockStub(env: Env, name: string) {
  return env.LOCKS.get(env.LOCKS.idFromName(name));
}
