/**
 * LockDO: one per named resource (`locks: ["storefront"]`), a counted semaphore with leases (see
 * semaphore.ts). Waiting executions are told when their turn comes; a lease that runs out (its holder
 * crashed) frees the place at the object's alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { LockState } from "#shared/api/resources.ts";
import { executionStub } from "../execution/stub.ts";
import { type AcquireResult, acquire, grantWaiters, release, releaseExpiredLeases, type SemaphoreState, type Waiter } from "./semaphore.ts";


export class LockDO extends DurableObject<Env> {
  private state: SemaphoreState = { capacity: 1, holders: [], waiters: [] };
  private name = "";

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, state TEXT NOT NULL)");
      const row = ctx.storage.sql.exec<{ name: string; state: string }>("SELECT name, state FROM lock").toArray()[0];
      if (row) {
        this.name = row.name;
        this.state = JSON.parse(row.state) as SemaphoreState;
      }
    });
  }

  acquire(name: string, request: Omit<Waiter, "since">, capacity: number): AcquireResult {
    this.name = name;
    // The latest declared capacity wins: templates can raise or lower it. Places freed by expired
    // leases go to those already waiting before this request is looked at.
    this.grantAndSave(releaseExpiredLeases({ ...this.state, capacity }, Date.now()).state);
    const step = acquire(this.state, request, Date.now());
    this.save(step.state);
    return step.result;
  }

  release(holder: string): void {
    this.grantAndSave(release(this.state, holder));
  }

  /** An admin frees a place by force (or every place, without `holder`). */
  forceRelease(holder: string | null): string[] {
    const freed = holder === null ? this.state.holders.map((h) => h.holder) : [holder];
    let state = this.state;
    for (const h of freed) state = release(state, h);
    this.grantAndSave(state);
    return freed;
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
