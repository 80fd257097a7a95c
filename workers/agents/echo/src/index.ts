/**
 * echo (docs/architecture.md, contract): the test double every pipeline author needs. It returns `{ value, attempt }`,
 * and on request waits, reports progress ticks, streams chunks, fails its first attempts and charges a cost. With none of
 * those asked for it does nothing at all, which makes it the no-op agent of the benchmarks.
 */
import { z } from "zod";
import { NonRetryableError } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";

const MAX_DELAY_MS = 15 * 60 * 1000;

const inputSchema = z.object({
  value: z.unknown().optional().describe("Returned as is (null when absent)"),
  delayMs: z.int().min(0).max(MAX_DELAY_MS).optional().describe("Time to take before answering"),
  progress: z.int().min(0).max(10_000).optional().describe("Progress ticks to report, spread over delayMs"),
  fail: z
    .object({
      times: z.int().min(0).describe("Attempts that fail: attempt <= times fails"),
      retryable: z.boolean().optional().describe("false: fail with NonRetryableError"),
    })
    .optional(),
  costUsd: z.number().min(0).optional().describe("Reported as usage.costUsd"),
  stream: z.array(z.string()).max(10_000).optional().describe("Chunks to stream, each delayMs after the one before"),
});

const outputSchema = z.object({ value: z.unknown(), attempt: z.int().min(1) });
type EchoOutput = z.infer<typeof outputSchema>;

export default defineAgent({
  name: "echo",
  version: "1.0.0",
  description: "Returns its input value and the attempt number; can wait, report progress, fail and charge on request.",
  input: inputSchema,
  output: outputSchema,
  async run(input, task, report) {
    const ticks = input.progress ?? 0;
    const delayMs = input.delayMs ?? 0;
    if (input.stream) {
      for (const chunk of input.stream) {
        if (delayMs > 0) await scheduler.wait(delayMs);
        await report.stream(chunk);
      }
    } else if (ticks > 0) {
      for (let tick = 1; tick <= ticks; tick++) {
        if (delayMs > 0) await scheduler.wait(delayMs / ticks);
        await report.progress(tick, ticks);
      }
    } else if (delayMs > 0) {
      await scheduler.wait(delayMs);
    }
    // A failing attempt still takes its time and reports its progress first, like a real agent would.
    if (input.fail && task.attempt <= input.fail.times) {
      const message = `echo: attempt ${task.attempt} fails as asked (fail.times = ${input.fail.times})`;
      await report.log("warn", message);
      throw input.fail.retryable === false ? new NonRetryableError(message) : new Error(message);
    }
    const output = { value: input.value ?? null, attempt: task.attempt };
    return input.costUsd === undefined ? { output } : { output, usage: { costUsd: input.costUsd } };
  },
});
