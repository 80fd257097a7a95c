/** Proves how `npm run bench` reads its options: defaults, environment, flags, and refusals that say why. */
import { describe, expect, it } from "vitest";
import { BenchOptionsError, parseBenchOptions } from "./options.ts";

describe("parseBenchOptions", () => {
  it("defaults to issue 8's workload: 50 x 20, 100 sequential steps", () => {
    expect(parseBenchOptions([], {})).toEqual({
      executions: 50,
      steps: 20,
      rounds: 3,
      sequentialSteps: 100,
      latencySamples: 50,
      fanOutMax: 100_000,
      timeoutSeconds: 120,
      port: 0,
      keepState: false,
      verbose: false,
      help: false,
    });
  });

  it("takes the environment, and flags over it, in both --flag value and --flag=value forms", () => {
    const env = { BATON_BENCH_EXECUTIONS: "10", BATON_BENCH_STEPS: "5", BATON_BENCH_KEEP_STATE: "1" };
    const options = parseBenchOptions(["--steps", "7", "--rounds=1", "--verbose"], env);
    expect(options).toMatchObject({ executions: 10, steps: 7, rounds: 1, keepState: true, verbose: true });
  });

  it("refuses bad numbers, naming the option and its range", () => {
    expect(() => parseBenchOptions(["--executions", "0"], {})).toThrow(/--executions must be an integer from 1 to 10000, not "0"/);
    expect(() => parseBenchOptions([], { BATON_BENCH_STEPS: "2.5" })).toThrow(/BATON_BENCH_STEPS must be an integer/);
    expect(() => parseBenchOptions(["--sequential-steps", "1"], {})).toThrow(/from 2 to/);
  });

  it("refuses unknown options and a missing value", () => {
    expect(() => parseBenchOptions(["--fast"], {})).toThrow(BenchOptionsError);
    expect(() => parseBenchOptions(["--steps"], {})).toThrow(/--steps needs a value/);
  });
});
