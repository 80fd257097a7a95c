/** Waits for a local server to answer: wrangler opens its port before the Workers behind it have loaded. */
import { setTimeout as sleep } from "node:timers/promises";

/** Wrangler holds requests while it builds; a slow answer is still an answer, so wait for it. */
const attemptTimeoutMs = 15_000;

/** Polls `url` until it answers with `ok` (any HTTP answer when `anyStatus`); throws if `signal` aborts. */
export async function waitForHttp(url: string, signal: AbortSignal, anyStatus = false): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    try {
      const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(attemptTimeoutMs)]) });
      await response.body?.cancel();
      if (response.ok || anyStatus) return;
    } catch {
      // Not listening yet (or still building): try again shortly, unless we are stopping.
      signal.throwIfAborted();
    }
    await sleep(200, undefined, { signal });
  }
}
