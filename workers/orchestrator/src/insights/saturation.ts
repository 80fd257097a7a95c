/**
 * A key's place in its rate limit, counted the way the dispatcher counts it (dispatcher/rate-window.ts):
 * every start inside the window, whatever became of it, and a full window frees a place when the start
 * that filled it ages out.
 */
import type { KeySaturation } from "#shared/api/insights.ts";
import { rateVerdict, windowMs } from "../dispatcher/rate-window.ts";

/** `starts` are the key's start times (any order); only those inside the window at `now` count. */
export function keySaturation(starts: readonly number[], limit: number, window: string, now: number): KeySaturation {
  const length = windowMs(window);
  const inWindow = starts.filter((at) => at > now - length).sort((a, b) => a - b);
  const verdict = rateVerdict(inWindow, limit, length);
  return { used: inWindow.length, allowed: limit, window, freesAt: verdict.ok ? null : verdict.freesAt };
}
