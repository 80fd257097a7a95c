/**
 * The auxiliary Workers of the client tests, built like the agents (see agent-workers.ts): the example
 * caller from `workers/examples/pipeline-caller`, bound back to the orchestrator's `OrchestratorService`
 * with the same binding its wrangler.toml declares (keep the two alike), a caller that uses the binding
 * bare (the RPC error tests), a webhook receiver that checks signatures, and an OTLP receiver that
 * collects exported spans.
 *
 * Runs in Node (from vitest.config.ts), not in workerd.
 */
import { bundleWorker } from "./bundle-worker.ts";

/** The secret the webhook receiver checks signatures with; the tests configure endpoints with it. */
export const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";

/**
 * The name the vitest plugin gives the Worker under test (`vitest-plugin-runner-<project name>`, and this
 * project has none); other Workers bind back to it by this name. The example caller's test fails if the
 * plugin ever names it otherwise.
 */
export const WORKER_UNDER_TEST = "vitest-plugin-runner-";

export function buildClientWorkers(compatibilityDate: string) {
  return [
    {
      name: "baton-example-caller",
      modules: true as const,
      scriptPath: bundleWorker("workers/examples/pipeline-caller/src/index.ts", "clients/example-caller"),
      compatibilityDate,
      serviceBindings: {
        BATON: { name: WORKER_UNDER_TEST, entrypoint: "OrchestratorService", props: { caller: "example-caller" } },
      },
    },
    {
      name: "test-rpc-caller",
      modules: true as const,
      scriptPath: bundleWorker("test/support/rpc-caller.ts", "clients/rpc-caller"),
      compatibilityDate,
      serviceBindings: {
        BATON: { name: WORKER_UNDER_TEST, entrypoint: "OrchestratorService", props: { caller: "rpc-caller" } },
      },
    },
    {
      name: "test-webhook-receiver",
      modules: true as const,
      scriptPath: bundleWorker("test/support/webhook-receiver.ts", "clients/webhook-receiver"),
      compatibilityDate,
      bindings: { WEBHOOK_SECRET },
    },
    {
      name: "test-otlp-receiver",
      modules: true as const,
      scriptPath: bundleWorker("test/support/otlp-receiver.ts", "clients/otlp-receiver"),
      compatibilityDate,
    },
  ];
}
