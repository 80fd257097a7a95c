/**
 * Waits until `check` holds for what `read` returns, polling: for what happens in the background (webhook
 * deliveries, trace exports, log shipping, an execution in another process). Plain code, so the workerd
 * tests and the CLI's Node tests share it.
 */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5_000, pollMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
