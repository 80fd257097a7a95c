/**
 * The engine's counted figures in `npm run bench` (issue 17): SQLite rows written per step, for Baton
 * (asked of each execution object after a throughput run) and for the floor (reported by its chains),
 * and the fan-out line: one forEach of echo steps at concurrency 50 over 1,000, 10,000 and 100,000
 * items, items per second from the execution's own start and end times.
 */
import type { BatonClient } from "#shared/client/index.ts";
import type { LiveFeed } from "./live-feed.ts";
import type { RowsReport } from "./worker/src/protocol.ts";

export const FAN_OUT_TEMPLATE = {
  id: "bench-fan-out",
  name: "Bench: one forEach of echo steps",
  description: "Written by `npm run bench`: a no-op echo step for each item, 50 at a time.",
  params: { items: { type: "array" as const, required: true } },
  steps: [{ id: "each", agent: "echo", input: { value: "{{item}}" }, forEach: { items: "{{params.items}}", concurrency: 50 } }],
};

export interface FanOutPoint {
  items: number;
  itemsPerSecond: number;
  seconds: number;
}

/** The rows Baton's executions wrote, per step; null when no object could tell (they were evicted). */
export async function batonRowsPerStep(url: string, token: string, ids: readonly string[], stepsPerExecution: number): Promise<number | null> {
  const response = await fetch(`${url}/bench/rows`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ ids }),
  });
  if (!response.ok) throw new Error(`POST /bench/rows answered ${response.status}: ${await response.text()}`);
  const report = (await response.json()) as RowsReport;
  return report.counted === 0 ? null : report.rowsWritten / (report.counted * stepsPerExecution);
}

/** Runs one fan-out per size, one after the other, each to its end. */
export async function measureFanOut(client: BatonClient, feed: LiveFeed, sizes: readonly number[], timeoutMs: number): Promise<{ points: FanOutPoint[]; problems: string[] }> {
  await client.templates.save(FAN_OUT_TEMPLATE);
  const points: FanOutPoint[] = [];
  const problems: string[] = [];
  for (const items of sizes) {
    const started = await client.executions.start({ template: FAN_OUT_TEMPLATE.id, params: { items: Array.from({ length: items }, (_, i) => i) } });
    const ends = await feed.waitForEnds([started.id], Date.now() + timeoutMs);
    const end = ends.get(started.id);
    if (end?.type !== "execution.completed") {
      problems.push(`fan-out of ${items} items: ${end ? `ended with ${end.type}` : `did not end within ${timeoutMs / 1000} s`}`);
      continue;
    }
    const state = await client.executions.get(started.id);
    const seconds = ((state.endedAt ?? end.at) - (state.startedAt ?? state.createdAt)) / 1000;
    points.push({ items, itemsPerSecond: items / Math.max(seconds, 0.001), seconds });
  }
  return { points, problems };
}
