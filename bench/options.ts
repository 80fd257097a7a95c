/**
 * `npm run bench` options: flags win over environment variables, which win over the defaults
 * (`npm run bench -- --executions 100`, or `BATON_BENCH_EXECUTIONS=100 npm run bench`). Pure, so that
 * it is tested without a process.
 */

export interface BenchOptions {
  /** N: executions run at once in the throughput workload. */
  executions: number;
  /** M: echo steps in a chain, per execution of the throughput workload. */
  steps: number;
  /** Measured rounds of the throughput workload (after one warm-up round); the median is reported. */
  rounds: number;
  /** Steps of the one sequential execution behind the per-step overhead and SSE latency. */
  sequentialSteps: number;
  /** One-at-a-time starts behind the start→first-step latency. */
  latencySamples: number;
  /** The largest forEach of the fan-out line (1,000, 10,000 and 100,000 items, up to this); 0 skips it. */
  fanOutMax: number;
  /** Longest wait for one run of the workload before it counts as failed, in seconds. */
  timeoutSeconds: number;
  /** The local port of the stack; 0 picks a free one. */
  port: number;
  /** Leave the temporary state and the copied source tree behind, to look into. */
  keepState: boolean;
  /** Show wrangler's output (at log level info) instead of keeping it for error reports. */
  verbose: boolean;
  help: boolean;
}

export const benchUsage = `Usage: npm run bench -- [options]
  --executions N        executions at once (default 50, or BATON_BENCH_EXECUTIONS)
  --steps M             echo steps per execution (default 20, or BATON_BENCH_STEPS)
  --rounds R            measured rounds after the warm-up; the median is reported (default 3, or BATON_BENCH_ROUNDS)
  --sequential-steps S  steps of the sequential execution (default 100, or BATON_BENCH_SEQUENTIAL_STEPS)
  --latency-samples K   one-at-a-time starts for start latency (default 50, or BATON_BENCH_LATENCY_SAMPLES)
  --fan-out-max N       largest forEach of the fan-out line: 1000, 10000, 100000 items up to N; 0 skips it (default 100000, or BATON_BENCH_FAN_OUT_MAX)
  --timeout SECONDS     longest wait for one run (default 120, or BATON_BENCH_TIMEOUT)
  --port P              local port of the stack (default: a free one, or BATON_BENCH_PORT)
  --keep-state          keep the temporary state directory and print where it is
  --verbose             show wrangler's output, request logs included`;

export class BenchOptionsError extends Error {
  override name = "BenchOptionsError";
}

interface NumberOption {
  key: "executions" | "steps" | "rounds" | "sequentialSteps" | "latencySamples" | "fanOutMax" | "timeoutSeconds" | "port";
  flag: string;
  env: string;
  fallback: number;
  min: number;
  max: number;
}

/** The most steps a template may have (the orchestrator's template schema). */
const MAX_TEMPLATE_STEPS = 200;

const numberOptions: NumberOption[] = [
  { key: "executions", flag: "executions", env: "BATON_BENCH_EXECUTIONS", fallback: 50, min: 1, max: 10_000 },
  { key: "steps", flag: "steps", env: "BATON_BENCH_STEPS", fallback: 20, min: 1, max: MAX_TEMPLATE_STEPS },
  { key: "rounds", flag: "rounds", env: "BATON_BENCH_ROUNDS", fallback: 3, min: 1, max: 100 },
  { key: "sequentialSteps", flag: "sequential-steps", env: "BATON_BENCH_SEQUENTIAL_STEPS", fallback: 100, min: 2, max: MAX_TEMPLATE_STEPS },
  { key: "fanOutMax", flag: "fan-out-max", env: "BATON_BENCH_FAN_OUT_MAX", fallback: 100_000, min: 0, max: 100_000 },
  { key: "latencySamples", flag: "latency-samples", env: "BATON_BENCH_LATENCY_SAMPLES", fallback: 50, min: 1, max: 10_000 },
  { key: "timeoutSeconds", flag: "timeout", env: "BATON_BENCH_TIMEOUT", fallback: 120, min: 1, max: 3_600 },
  { key: "port", flag: "port", env: "BATON_BENCH_PORT", fallback: 0, min: 0, max: 65_535 },
];

function integer(raw: string, source: string, option: NumberOption): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < option.min || value > option.max) {
    throw new BenchOptionsError(`${source} must be an integer from ${option.min} to ${option.max}, not "${raw}".\n${benchUsage}`);
  }
  return value;
}

export function parseBenchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const flags = new Map<string, string>();
  let keepState = false;
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (arg === "--keep-state") {
      keepState = true;
      continue;
    }
    if (arg === "--verbose") {
      verbose = true;
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const option = match && numberOptions.find((o) => o.flag === match[1]);
    if (!match || !option) throw new BenchOptionsError(`Unknown option "${arg}".\n${benchUsage}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new BenchOptionsError(`--${option.flag} needs a value.\n${benchUsage}`);
    flags.set(option.flag, value);
  }
  const options: BenchOptions = {
    executions: 0,
    steps: 0,
    rounds: 0,
    sequentialSteps: 0,
    latencySamples: 0,
    fanOutMax: 0,
    timeoutSeconds: 0,
    port: 0,
    keepState: keepState || env.BATON_BENCH_KEEP_STATE === "1",
    verbose: verbose || env.BATON_BENCH_VERBOSE === "1",
    help,
  };
  for (const option of numberOptions) {
    const flagValue = flags.get(option.flag);
    const envValue = env[option.env];
    options[option.key] =
      flagValue !== undefined
        ? integer(flagValue, `--${option.flag}`, option)
        : envValue !== undefined && envValue !== ""
          ? integer(envValue, option.env, option)
          : option.fallback;
  }
  return options;
}
