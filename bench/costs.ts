/**
 * `npm run bench:costs`: what each runtime operation costs in workerd CPU on this machine, measured on
 * the bench Worker alone (bench/worker/src/cost-probe-do.ts): a Durable Object call, the same with two
 * callbacks, a call whose callee commits a write, a new object, a commit, a D1 query. Each probe runs
 * `times` times in a row, three rounds; the median round counts. bench/README.md reads Baton's and the
 * floor's CPU per step in these units.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { removeStackFiles, startLocalStack } from "./local-stack.ts";
import { describeMachine } from "./machine.ts";
import { cpuReader } from "./stack-processes.ts";

/** Calls per round: enough for a round to take about a second of CPU (the CPU clock ticks every 10 ms). */
const TIMES: Record<string, number> = { rpc: 10_000, "rpc-callbacks": 8_000, "rpc-write": 3_000, "new-object": 500, "write-turn": 4_000, "write4-turn": 4_000, turn: 10_000, d1: 2_000 };
const ROUNDS = 3;

const { values: args } = parseArgs({ options: { scale: { type: "string", default: "1" } } });
const scale = Number(args.scale);
if (!(scale > 0 && scale <= 10)) throw new Error("--scale: a number above 0, at most 10 (multiplies the calls per round)");

const stack = await startLocalStack({ configs: ["bench/worker/wrangler.toml"], healthPaths: ["/bench/health"] });
try {
  const cpu = cpuReader(stack.processes?.workerdPids ?? []);
  const probe = async (name: string, times: number) => {
    const response = await fetch(`${stack.url}/bench/costs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ probe: name, times, runId: `${name}-${randomBytes(4).toString("hex")}` }),
    });
    if (!response.ok) throw new Error(`probe ${name}: ${response.status} ${await response.text()}`);
  };
  const results: Record<string, number> = {};
  for (const [name, base] of Object.entries(TIMES)) {
    const times = Math.max(1, Math.round(base * scale));
    await probe(name, Math.min(times, 100)); // warm-up
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = cpu();
      await probe(name, times);
      rounds.push(((cpu() - before) * 1000) / times);
    }
    results[name] = rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    console.log(`${name.padEnd(14)} ${results[name]!.toFixed(0).padStart(6)} µs   rounds ${rounds.map((r) => r.toFixed(0)).join(" ")}`);
  }
  const machine = describeMachine();
  console.log(JSON.stringify({ costsMicroseconds: results, machine }));
} finally {
  await stack.stop();
  removeStackFiles(stack);
}
