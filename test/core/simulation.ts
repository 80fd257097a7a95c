/**
 * The deterministic simulator: one seed picks a random pipeline and a random life for it — agents that
 * fail, hang or answer twice, locks granted late, children that fail, approvals racing cancels, pauses,
 * retries, and crashes between any two commands — and checks the core's invariants after every input.
 * The same seed always plays out the same way, so a failure replays exactly.
 */
import { canonicalJson } from "#shared/canonical-json.ts";
import type { AgentStep } from "#shared/template.ts";
import type { CoreCommand } from "../../workers/orchestrator/src/execution/core/io.ts";
import { ACTIVE_STEP } from "../../workers/orchestrator/src/execution/core/state.ts";
import { parseKey } from "../../workers/orchestrator/src/execution/core/turn.ts";
import { chance, pick, type Random, randomRun, seededRandom } from "./random-template.ts";
import { replay, World } from "./world.ts";

const MAX_INPUTS = 160;
const DRAIN_INPUTS = 2_000;
const TERMINAL = new Set(["completed", "failed", "cancelled"]);

export class InvariantError extends Error {}

interface Life {
  random: Random;
  world: World;
  /** Calls per step key since the key's step was last reset, and the interruptions that allow more. */
  calls: Map<string, number>;
  interrupted: Map<string, number>;
  settled: Set<string>;
  /** Steps whose fallback took over in this run. */
  fellBack: Set<string>;
  checkedEvents: number;
  lastCost: number;
  locks: Map<string, string>;
  children: Map<string, "running" | "completed" | "failed">;
  crashes: number;
  trace: string[];
  /** How many of the world's given commands the lock model has seen (it frees what is released). */
  releasesSeen: number;
}

export function simulate(seed: number, verbose = false): { inputs: number; crashes: number; status: string } {
  const random = seededRandom(seed);
  const run = randomRun(random);
  const world = new World(run.template, {
    params: run.params,
    budgetUsd: run.budgetUsd,
    random,
    requiresStartApproval: chance(random, 0.1),
  });
  const life: Life = { random, world, calls: new Map(), interrupted: new Map(), settled: new Set(), fellBack: new Set(), checkedEvents: 0, lastCost: 0, locks: new Map(), children: new Map(), crashes: 0, trace: [], releasesSeen: 0 };
  const say = (line: string) => {
    life.trace.push(line);
    if (verbose) console.log(line);
  };
  check(life);
  let inputs = 0;
  try {
    for (; inputs < MAX_INPUTS && !TERMINAL.has(world.state.status); inputs++) {
      act(life, say, false);
      releaseLocks(life);
      check(life);
    }
    for (let drained = 0; drained < DRAIN_INPUTS && !TERMINAL.has(world.state.status); drained++, inputs++) {
      act(life, say, true);
      releaseLocks(life);
      check(life);
    }
    if (!TERMINAL.has(world.state.status)) throw new InvariantError(`the execution did not end: it is ${world.state.status} with steps ${world.statuses().join(", ")}`);
    crash(life);
  } catch (error) {
    const tail = life.trace.slice(-25).join("\n  ");
    throw new InvariantError(`seed ${seed}: ${(error as Error).message}\n  last inputs:\n  ${tail}\n  replay: SIM_SEED=${seed} npm run test:core`);
  }
  return { inputs, crashes: life.crashes, status: world.state.status };
}

/** One thing happens to the execution. In drain mode nothing goes wrong any more, so everything ends. */
function act(life: Life, say: (line: string) => void, drain: boolean): void {
  const { world, random } = life;
  const roll = random();
  if (!drain && roll < 0.03 && life.crashes < 4) {
    life.crashes++;
    say("crash");
    return crash(life);
  }
  if (!drain && roll < 0.08) return control(life, say);
  const waitingApproval = Object.entries(world.state.steps).find(([id, s]) => s.status === "waiting" && world.template.steps.find((t) => t.id === id)?.type === "approval");
  if (world.state.startApproval !== null || (waitingApproval && (drain || roll < 0.15))) {
    const stepId = world.state.startApproval !== null ? "$start" : waitingApproval![0];
    const approved = drain || chance(random, 0.8);
    say(`approval ${stepId} ${approved}`);
    world.feed({ type: "approval", stepId, approved, by: "sim", comment: null });
    return;
  }
  if (world.state.status === "failed" && !drain && chance(random, 0.3)) {
    say("retry");
    world.feed({ type: "retry", by: "sim" });
    return;
  }
  if (world.state.status === "paused") {
    say("resume");
    world.feed({ type: "resume", by: "sim" });
    return;
  }
  if (world.pending.length === 0 || (!drain && chance(random, 0.1))) {
    say(`timer at ${world.alarmAt ?? "none"}`);
    return world.tick(world.alarmAt === null ? 1000 : undefined);
  }
  const command = drain ? world.pending.shift()! : world.pending.splice(Math.floor(random() * world.pending.length), 1)[0]!;
  answer(life, command, say, drain);
}

function answer(life: Life, command: CoreCommand, say: (line: string) => void, drain: boolean): void {
  const { world, random } = life;
  switch (command.type) {
    case "call-agent": {
      const fault = drain ? 1 : random();
      const key = command.key;
      if (fault < 0.05) return say(`lost reply of ${key}#${command.attempt}`);
      if (fault < 0.1) world.feed({ type: "progress", key, attempt: command.attempt, progress: { current: 1, total: 2 } });
      if (fault < 0.12) world.feed({ type: "log", key, attempt: command.attempt, level: "info", message: "hello" });
      if (fault > 0.5 && fault < 0.6) world.feed({ type: "stream", key, attempt: command.attempt, chunk: "tok", index: 0 });
      const ok = drain || fault > 0.25;
      const retryable = fault > 0.15;
      const costUsd = Math.round(random() * 100) / 1000;
      say(`${ok ? "success" : "failure"} of ${key}#${command.attempt}`);
      const outcome = ok
        ? { ok: true as const, result: { output: { value: key, attempt: command.attempt }, usage: { costUsd } } }
        : { ok: false as const, retryable, error: { code: "agent_error", message: "simulated failure" } };
      world.feed({ type: "attempt-settled", key, attempt: command.attempt, outcome });
      if (!drain && fault > 0.95) {
        say(`duplicate reply of ${key}#${command.attempt}`);
        world.feed({ type: "attempt-settled", key, attempt: command.attempt, outcome });
      }
      return;
    }
    case "acquire-lock": {
      const holder = life.locks.get(command.name);
      if (holder === undefined || holder === command.holder) {
        life.locks.set(command.name, command.holder);
        say(`lock ${command.name} granted to ${command.key}`);
        world.feed({ type: "lock-granted", key: command.key, name: command.name });
        if (!drain && chance(random, 0.05)) world.feed({ type: "lock-granted", key: command.key, name: command.name });
      } else {
        say(`lock ${command.name} busy for ${command.key}`);
        world.feed({ type: "lock-busy", key: command.key, name: command.name, position: 1, heldBy: [holder] });
      }
      return;
    }
    case "start-child": {
      const childId = `child-${command.stepId}`;
      if (!life.children.has(childId)) life.children.set(childId, "running");
      say(`child ${childId} started`);
      world.feed({ type: "child-started", stepId: command.stepId, childId });
      return;
    }
    case "check-child": {
      const status = life.children.get(command.childId);
      if (status === "running") life.children.set(command.childId, drain || chance(random, 0.8) ? "completed" : "failed");
      const now = life.children.get(command.childId)!;
      say(`child ${command.childId} ${now}`);
      world.feed({ type: "child-settled", stepId: command.stepId, child: { id: command.childId, status: now === "completed" ? "completed" : "failed", output: { child: true }, costUsd: 0.01, error: null } });
      return;
    }
    case "enqueue": {
      const admitted = drain || chance(random, 0.8);
      say(`enqueued, admitted ${admitted}`);
      world.feed({ type: "enqueued", admitted });
      if (!admitted) world.feed({ type: "admitted" });
      return;
    }
    default:
      return;
  }
}

function control(life: Life, say: (line: string) => void): void {
  const { world, random } = life;
  const action = pick(random, ["cancel", "pause", "resume", "pause", "watch"] as const);
  say(action);
  if (action === "cancel") world.feed({ type: "cancel", reason: "simulated", by: "sim" });
  else if (action === "pause") world.feed({ type: "pause", by: "sim", reason: null });
  else if (action === "resume") world.feed({ type: "resume", by: "sim" });
  else world.feed({ type: "watch" });
}

/** The lock model frees what the execution gives back. */
function releaseLocks(life: Life): void {
  const given = life.world.given;
  for (; life.releasesSeen < given.length; life.releasesSeen++) {
    const command = given[life.releasesSeen]!;
    if (command.type === "release-lock" && life.locks.get(command.name) === command.holder) life.locks.delete(command.name);
  }
}

function crash(life: Life): void {
  const { world } = life;
  const before = canonicalJson(world.state);
  const facts = world.state.facts;
  const reloaded = canonicalJson(replay(facts, world.template, world.state.priority, world.log));
  if (before !== reloaded) throw new InvariantError(`the state reloaded after a crash differs from the state written:\n  live ${before}\n  reloaded ${reloaded}`);
  // The lost instance's leases run out (a holder that asks again after the restart would just extend its own).
  life.locks.clear();
  world.crash();
}

/** The invariants, over what happened since the last check. */
function check(life: Life): void {
  const { world } = life;
  const log = world.log;
  for (let i = life.checkedEvents; i < log.length; i++) {
    const event = log[i]!;
    if (event.seq !== i + 1) throw new InvariantError(`event seq ${event.seq} at position ${i + 1}: the log has a gap or a repeat`);
    const { stepId, item } = event.data as { stepId?: string; item?: number };
    const key = `${stepId}#${item ?? -1}`;
    if (event.type === "execution.resumed" && event.data.retry === true) {
      life.calls.clear();
      life.interrupted.clear();
      life.settled.clear();
      life.fellBack.clear();
    }
    if (event.type === "usage.updated") life.lastCost = event.data.totalCostUsd as number;
    if (event.type === "step.started" && typeof event.data.agent === "string" && typeof event.data.idempotencyKey === "string") {
      if (life.settled.has(key)) throw new InvariantError(`${key} was called again after it settled`);
      const budget = world.state.facts.budgetUsd;
      if (budget !== null && life.lastCost >= budget) throw new InvariantError(`${key} started with $${life.lastCost} spent of a $${budget} budget`);
      const calls = (life.calls.get(key) ?? 0) + 1;
      life.calls.set(key, calls);
      const step = world.template.steps.find((s) => s.id === stepId) as AgentStep;
      // A fallback is one more attempt, made once the step's own ones are spent.
      const fallback = step.fallback && item === undefined ? 1 : 0;
      const allowed = (step.retry?.limit ?? 0) + 1 + fallback + (life.interrupted.get(key) ?? 0);
      if (life.fellBack.has(key) && event.data.agent !== step.fallback?.agent) throw new InvariantError(`${key} called its own agent after its fallback took over`);
      if (calls > allowed) throw new InvariantError(`${key} was called ${calls} times; its retries allow ${allowed}`);
    }
    if (event.type === "step.fallback") {
      if (life.fellBack.has(key)) throw new InvariantError(`${key} fell back twice in one run`);
      if (item !== undefined) throw new InvariantError(`${key}: a forEach item fell back (fallbacks are for whole steps)`);
      life.fellBack.add(key);
    }
    if (event.type === "step.stream" && (life.settled.has(key) || !life.calls.has(key))) throw new InvariantError(`${key} streamed while no attempt of it ran`);
    if (event.type === "step.retrying" && event.data.interrupted === true) life.interrupted.set(key, (life.interrupted.get(key) ?? 0) + 1);
    if ((event.type === "step.completed" || event.type === "step.failed") && stepId) {
      life.settled.add(key);
      // A step that settles as a whole takes its items with it.
      if (item === undefined) for (const k of [...life.settled]) if (parseKey(k).stepId !== stepId) continue;
    }
  }
  life.checkedEvents = log.length;
  // Nothing is active in an execution that has ended.
  if (TERMINAL.has(world.state.status)) {
    for (const [id, step] of Object.entries(world.state.steps)) {
      if (ACTIVE_STEP.has(step.status)) throw new InvariantError(`step ${id} is ${step.status} in a ${world.state.status} execution`);
      // A completed execution went on past its failed steps only where they said so.
      if (world.state.status === "completed" && step.status === "failed" && step.continued !== true) {
        throw new InvariantError(`step ${id} failed without onError: "continue", yet the execution completed`);
      }
    }
  }
}
