/**
 * Proves the echo agent keeps its contract (docs/architecture.md "Agent contract", echo) when called the way the
 * orchestrator calls it, over the real service binding: value and attempt come back, progress ticks
 * arrive through a callback passed inside the task, failures follow `fail.times` and `retryable`, cost
 * is reported as usage, and `delayMs` is honoured. It does not prove how the orchestrator reacts to any
 * of this (retries, events): the execution tests do.
 */
import { describe, expect, it } from "vitest";
import { agent, recorder, taskFor } from "../support/agents.ts";

const echo = agent("echo");

describe("echo", () => {
  it("returns the value it was given and the attempt number", async () => {
    const value = { nested: [1, "two", null, { three: true }] };
    const result = await echo.run(taskFor({ value }, { attempt: 3 }));
    expect(result).toEqual({ output: { value, attempt: 3 } });
  });

  it("returns a null value and no usage when given nothing", async () => {
    const result = await echo.run(taskFor({}));
    expect(result.output).toEqual({ value: null, attempt: 1 });
    expect(result.usage).toBeUndefined();
  });

  it("reports every progress tick through the callback passed in the task, before it returns", async () => {
    const record = recorder();
    await echo.run(taskFor({ progress: 4 }, record.callbacks));
    expect(record.progress).toEqual([
      { current: 1, total: 4 },
      { current: 2, total: 4 },
      { current: 3, total: 4 },
      { current: 4, total: 4 },
    ]);
  });

  it("runs without callbacks, as an HTTP agent would be called", async () => {
    const result = await echo.run(taskFor({ value: "plain", progress: 3 }));
    expect(result.output).toEqual({ value: "plain", attempt: 1 });
  });

  it("takes about delayMs, spreading the ticks over it", async () => {
    const record = recorder();
    const tickTimes: number[] = [];
    const started = Date.now();
    await echo.run(
      taskFor(
        { delayMs: 300, progress: 3 },
        {
          progress: (update) => {
            tickTimes.push(Date.now() - started);
            record.progress.push(update);
          },
        },
      ),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(3000);
    expect(record.progress.map((tick) => tick.current)).toEqual([1, 2, 3]);
    // The first tick comes after about a third of the delay, not all at once at the start or the end.
    expect(tickTimes[0]).toBeGreaterThanOrEqual(80);
    expect(tickTimes[0]).toBeLessThan(elapsed - 100);
  });

  it("answers at once when no delay is asked for", async () => {
    const started = Date.now();
    await echo.run(taskFor({ value: 1 }));
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("fails its first fail.times attempts with a retryable error, then succeeds", async () => {
    const input = { value: "x", fail: { times: 2 } };
    const record = recorder();
    for (const attempt of [1, 2]) {
      const failure = echo.run(taskFor(input, { attempt, ...record.callbacks }));
      await expect(failure).rejects.toThrow(`attempt ${attempt} fails as asked`);
      await expect(failure).rejects.not.toMatchObject({ name: "NonRetryableError" });
    }
    expect(record.logs.map((line) => line.level)).toEqual(["warn", "warn"]);
    await expect(echo.run(taskFor(input, { attempt: 3 }))).resolves.toEqual({ output: { value: "x", attempt: 3 } });
  });

  it("fails with an error named NonRetryableError across the binding when retryable is false", async () => {
    const input = { fail: { times: 1, retryable: false } };
    await expect(echo.run(taskFor(input, { attempt: 1 }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("fail.times = 1"),
    });
    await expect(echo.run(taskFor(input, { attempt: 2 }))).resolves.toEqual({ output: { value: null, attempt: 2 } });
  });

  it("charges costUsd as usage", async () => {
    const result = await echo.run(taskFor({ costUsd: 0.125 }));
    expect(result.usage).toEqual({ costUsd: 0.125 });
  });

  it("rejects malformed input with a NonRetryableError naming the field", async () => {
    await expect(echo.run(taskFor({ progress: -1 }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("input.progress"),
    });
    await expect(echo.run(taskFor({ fail: { retryable: false } }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("input.fail.times"),
    });
  });
});
