/**
 * Deployed, Cloudflare fires the orchestrator's crons (wrangler.toml `[triggers]`) on time; `wrangler dev`
 * never fires them by itself. So that schedules, agent health probes and sweeps run under `npm start` as
 * they do deployed, this ticker asks wrangler to run the scheduled handler at the start of every minute,
 * once for each cron that fires in that minute, through the route wrangler 4 serves for it
 * (`/cdn-cgi/local/scheduled?cron=…&time=…`, the one the banner shows for a manual run).
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { cronMatches, parseCron } from "../workers/orchestrator/src/templates/cron-expression.ts";

export type CronTickerOptions = {
  /** The Worker's local URL (the API's, where the orchestrator is the first Worker). */
  url: string;
  /** The cron expressions of the Worker's `[triggers]`. */
  crons: string[];
  /** How often to tick; a minute, as deployed (tests tick faster). */
  everyMs: number;
  signal: AbortSignal;
  /** Told when a tick could not run the handler; the ticker keeps going. */
  onFailure: (message: string) => void;
};

/** The `crons = [...]` of a wrangler.toml's `[triggers]` (the only form Baton's config uses). */
export function readCrons(wranglerTomlPath: string): string[] {
  const toml = readFileSync(wranglerTomlPath, "utf8");
  const list = /^\[triggers\][^[]*?^crons\s*=\s*\[([^\]]*)\]/ms.exec(toml)?.[1];
  return list ? [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]!) : [];
}

/** Milliseconds from `now` to the next multiple of `everyMs` (the top of the next minute, by default). */
export function untilNextTick(now: number, everyMs: number): number {
  return everyMs - (now % everyMs);
}

/** The crons that fire at `time`, as Cloudflare decides it: by the UTC minute. */
export function cronsDue(crons: string[], time: Date): string[] {
  return crons.filter((expression) => {
    const parsed = parseCron(expression);
    return parsed.ok && cronMatches(parsed.cron, time);
  });
}

/** Ticks until the signal aborts; resolves then. */
export async function runCronTicker({ url, crons, everyMs, signal, onFailure }: CronTickerOptions): Promise<void> {
  const invalid = crons.filter((expression) => !parseCron(expression).ok);
  if (invalid.length > 0) onFailure(`cannot read cron ${invalid.map((c) => `"${c}"`).join(", ")}; it will not fire locally`);
  while (!signal.aborted) {
    try {
      await sleep(untilNextTick(Date.now(), everyMs), undefined, { signal });
    } catch {
      return;
    }
    const time = new Date();
    for (const cron of cronsDue(crons, time)) {
      const query = new URLSearchParams({ cron, time: String(time.getTime()) });
      try {
        const response = await fetch(`${url}/cdn-cgi/local/scheduled?${query}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
        await response.body?.cancel();
        if (!response.ok) onFailure(`the cron "${cron}" did not run: the scheduled handler answered ${response.status}`);
      } catch (error) {
        if (signal.aborted) return;
        onFailure(`the cron "${cron}" did not run: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
