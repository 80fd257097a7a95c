/**
 * The sample agents as the orchestrator sees them: reached through its own `AGENT_<NAME>` service
 * bindings, typed by the contract. `taskFor` builds a task the way the orchestrator would, fixed by
 * default so that two runs of the same input can be compared.
 */
import { env } from "cloudflare:workers";
import type { AgentProgress, AgentService, AgentTask, LogLevel } from "#shared/agent.ts";

export const sampleAgents = [
  "echo",
  "market-scout",
  "strategist",
  "illustrator",
  "retoucher",
  "assembler",
  "inspector",
  "publisher",
  "researcher",
  "writer",
  "llm",
  "text",
] as const;
export type SampleAgent = (typeof sampleAgents)[number];

export function agent(name: SampleAgent): AgentService {
  const binding = `AGENT_${name.toUpperCase().replace(/-/g, "_")}` as keyof Cloudflare.Env;
  // A service binding to a WorkerEntrypoint exposes its methods as RPC; the contract types them.
  const stub = env[binding] as unknown as AgentService;
  // RPC calls return pipelining thenables: every property read on one (as `expect(...).rejects` does)
  // starts another call that rejects unobserved. Native promises keep failures where the test looks.
  return {
    describe: async () => await stub.describe(),
    health: async () => await stub.health(),
    run: async (task) => await stub.run(task),
  };
}

export function taskFor(input: unknown, overrides: Partial<AgentTask> = {}): AgentTask {
  return {
    executionId: "exec-test",
    stepId: "step-test",
    attempt: 1,
    idempotencyKey: "exec-test/step-test",
    input,
    deadline: Date.now() + 60_000,
    ...overrides,
  };
}

/** Progress and log callbacks that remember what they were called with, to pass inside a task. */
export function recorder() {
  const progress: AgentProgress[] = [];
  const logs: Array<{ level: LogLevel; message: string }> = [];
  const callbacks: Pick<AgentTask, "progress" | "log"> = {
    progress: (update) => {
      progress.push(update);
    },
    log: (level, message) => {
      logs.push({ level, message });
    },
  };
  return { progress, logs, callbacks };
}
