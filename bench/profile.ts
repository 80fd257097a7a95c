/**
 * `npm run bench:profile`: where the CPU of a Baton run goes. It starts the bench's local stack, runs
 * one warm-up batch and then one measured batch of N executions x M echo steps (started inside the
 * runtime, as `npm run bench` does), with the V8 sampling profiler of every Worker that takes part
 * attached over workerd's inspector, and prints each Worker's busiest functions (self time) and the
 * total of samples per Worker. `--save DIR` also writes one `.cpuprofile` per Worker (open it in Chrome
 * DevTools' Performance panel or in VS Code).
 *
 * The samples cover JavaScript and what it calls into (SQLite, RPC serialization); time the runtime
 * spends between isolates shows as `(program)` or not at all, so the workerd CPU per step of
 * `npm run bench` stays the figure that counts; this says where to look.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BatonClient } from "#shared/client/index.ts";
import { workerConfigs } from "../scripts/worker-configs.ts";
import { BatonWorkload } from "./baton-workload.ts";
import { LiveFeed } from "./live-feed.ts";
import { removeStackFiles, startLocalStack } from "./local-stack.ts";
import { InspectorSession } from "./inspector-session.ts";
import { cpuReader } from "./stack-processes.ts";
import { type CpuProfile, selfTimes } from "./profile-summary.ts";

const { values: args } = parseArgs({
  options: {
    executions: { type: "string", default: "50" },
    steps: { type: "string", default: "20" },
    workers: { type: "string", default: "core:user:orchestrator,core:user:baton-agent-echo,d1:db,core:entry" },
    top: { type: "string", default: "25" },
    batches: { type: "string", default: "1" },
    save: { type: "string" },
  },
});
const executions = Number(args.executions);
const steps = Number(args.steps);
const workers = args.workers.split(",").filter(Boolean);

const stack = await startLocalStack({
  configs: ["bench/worker/wrangler.toml", ...workerConfigs().map((worker) => worker.configPath)],
  healthPaths: ["/bench/health", "/v1/health"],
});
try {
  const client = new BatonClient({ url: stack.url, token: stack.token });
  const feed = await LiveFeed.open(client, stack.signal);
  const baton = new BatonWorkload(client, feed);
  await baton.prepare([steps], 1, executions);
  await baton.runBatch(executions, steps, 120_000, "runtime");

  const port = workers.length > 0 ? await inspectorPort(stack.processes?.workerdPids ?? []) : 0;
  // An isolate's inspector answers once that isolate runs something: small runs wake them all up.
  let attached = false;
  const attaching = Promise.all(
    workers.map(async (worker) => {
      const session = await InspectorSession.open(`ws://127.0.0.1:${port}/${worker}`);
      await session.send("Profiler.enable", {}, 120_000);
      await session.send("Profiler.setSamplingInterval", { interval: 200 });
      await session.send("Profiler.start");
      return session;
    }),
  ).finally(() => (attached = true));
  while (!attached) await Promise.race([attaching, baton.runBatch(1, 1, 30_000, "runtime")]);
  const sessions = await attaching;
  const cpu = cpuReader(stack.processes?.workerdPids ?? []);
  const total = executions * steps;
  for (let batch = 0; batch < Number(args.batches); batch++) {
    const cpuBefore = cpu();
    const result = await baton.runBatch(executions, steps, 120_000, "runtime", cpu);
    const cpuMs = (result.atEnd ?? cpu()) - cpuBefore;
    console.log(`${executions} x ${steps}: ${((total * 1000) / (result.completedAt - result.sentAt)).toFixed(0)} steps/s, workerd CPU ${(cpuMs / total).toFixed(2)} ms per step${result.problems.length ? `, problems: ${result.problems.join("; ")}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (const [index, session] of sessions.entries()) {
    const { profile } = (await session.send("Profiler.stop")) as { profile: CpuProfile };
    session.close();
    const worker = workers[index]!;
    if (args.save) {
      mkdirSync(args.save, { recursive: true });
      writeFileSync(join(args.save, `${worker}.cpuprofile`), JSON.stringify(profile));
    }
    const { totalMs, rows } = selfTimes(profile);
    console.log(`\n${worker}: ${totalMs.toFixed(0)} ms sampled (${(totalMs / total).toFixed(3)} ms per step)`);
    for (const row of rows.slice(0, Number(args.top))) {
      console.log(`${row.ms.toFixed(1).padStart(8)} ms ${((row.ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${row.name}  ${row.where}`);
    }
  }
  feed.close();
} finally {
  await stack.stop();
  removeStackFiles(stack);
}

/** workerd's inspector port: the loopback port it listens on that answers as workerd's inspector. */
async function inspectorPort(pids: readonly number[]): Promise<number> {
  const listening = execFileSync("ss", ["-ltnpH"], { encoding: "utf8" });
  for (const line of listening.split("\n")) {
    if (!pids.some((pid) => line.includes(`pid=${pid},`))) continue;
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
    if (!port) continue;
    const version = await fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.text())
      .catch(() => "");
    if (/"Browser":\s*"workerd"/.test(version)) return port;
  }
  throw new Error("workerd's inspector port was not found (needs Linux and ss)");
}
