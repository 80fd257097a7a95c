/** Bindings that exist only in the test runtime (see test/vitest.config.ts). */
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** The example caller Worker (workers/examples/pipeline-caller), bound to OrchestratorService. */
    EXAMPLE_CALLER: Fetcher;
    /** A Worker calling OrchestratorService without batonService (test/support/rpc-caller.ts). */
    RPC_CALLER: Fetcher;
    /** The webhook receiver of the tests (test/support/webhook-receiver.ts). */
    WEBHOOK_RECEIVER: Fetcher;
    TEST_WEBHOOK_SECRET: string;
    /** The OTLP receiver of the tests (test/support/otlp-receiver.ts). */
    OTLP_RECEIVER: Fetcher;
    /** A copy of the llm agent without LLM_STAND_IN (test/support/agent-workers.ts): what "unconfigured" says. */
    LLM_UNCONFIGURED: Fetcher;
    /** Required by createPagesEventContext(); the console's tests serve no assets through it. */
    ASSETS: Fetcher;
  }
}
