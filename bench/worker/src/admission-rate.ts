/**
 * `GET /bench/admission`: the dispatcher's queue code (AdmissionQueue) timed inside the runtime: fill it
 * with `queued` entries over many templates, keys and priorities, then admit one at a time as a
 * dispatcher does on each release, `admissions` times. The runtime's clock only moves at I/O, so each
 * phase ends on a zero-delay timer before the clock is read.
 */
import { AdmissionQueue, type QueueEntry } from "../../../workers/orchestrator/src/dispatcher/admission.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export interface AdmissionRate {
  queued: number;
  admissions: number;
  fillMs: number;
  admitMs: number;
  admissionsPerSecond: number;
}

export async function measureAdmission(queued: number, admissions: number): Promise<AdmissionRate> {
  const queue = new AdmissionQueue();
  const entries: QueueEntry[] = Array.from({ length: queued }, (_, i) => ({
    executionId: `ex_${i.toString(36).padStart(8, "0")}`,
    templateId: `t${i % 50}`,
    templateLimit: i % 3 === 0 ? null : 1000,
    concurrencyKey: i % 5 === 0 ? `k${i % 200}` : null,
    priority: (i * 7) % 11 - 5,
    enqueuedAt: 1_000_000 + i,
  }));
  await tick();
  const started = Date.now();
  for (const entry of entries) queue.add(entry);
  await tick();
  const filled = Date.now();
  let admitted = 0;
  while (admitted < admissions) {
    const batch = queue.admit(1);
    if (batch.length === 0) break;
    admitted += batch.length;
  }
  await tick();
  const done = Date.now();
  const admitMs = Math.max(done - filled, 1);
  return { queued, admissions: admitted, fillMs: filled - started, admitMs, admissionsPerSecond: (admitted / admitMs) * 1000 };
}
