/**
 * Proves the local cron ticker's decisions: it reads the crons from wrangler.toml, fires at the top of
 * each minute, and only the crons due in that minute. That the ticks reach the orchestrator under
 * `npm start` is proven in npm-start.test.ts.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cronsDue, readCrons, untilNextTick } from "../../scripts/cron-ticker.ts";
import { repoRoot } from "../../scripts/worker-configs.ts";

describe("cron ticker", () => {
  it("reads the orchestrator's crons", () => {
    expect(readCrons(join(repoRoot, "wrangler.toml"))).toEqual(["* * * * *"]);
  });

  it("waits for the top of the next minute", () => {
    expect(untilNextTick(Date.UTC(2026, 0, 1, 10, 0, 59, 500), 60_000)).toBe(500);
    expect(untilNextTick(Date.UTC(2026, 0, 1, 10, 0, 0), 60_000)).toBe(60_000);
  });

  it("fires only the crons due in the minute", () => {
    const tenPast = new Date(Date.UTC(2026, 0, 1, 10, 10, 0));
    expect(cronsDue(["* * * * *", "*/5 * * * *", "0 * * * *", "not a cron"], tenPast)).toEqual(["* * * * *", "*/5 * * * *"]);
  });
});
