/**
 * The test suite runs inside workerd: the orchestrator from wrangler.toml is the Worker under test, and
 * every sample agent runs beside it as a real auxiliary Worker behind its service binding.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { resolve } from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { buildAgentWorkers, buildHttpAgentsWorker, HTTP_AGENTS_WORKER, UNCONFIGURED_LLM_WORKER } from "./support/agent-workers.ts";
import { buildClientWorkers, WEBHOOK_SECRET } from "./support/client-workers.ts";

const root = resolve(import.meta.dirname, "..");
const compatibilityDate = "2026-11-01";

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: resolve(root, "wrangler.toml") },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(resolve(root, "migrations")),
          API_TOKEN: "test-token",
          ADMIN_EMAIL: "admin@example.com",
          ADMIN_PASSWORD: "test-password",
          TEST_WEBHOOK_SECRET: WEBHOOK_SECRET,
          // Sent with every OTLP export (only tests that set otel.endpoint export anything).
          OTEL_EXPORTER_OTLP_HEADERS: "x-otlp-key=s3cret%20key,x-dataset=baton",
          // A short cooldown, so that a circuit opened by a test (on purpose or not) closes within a second.
          CIRCUIT_COOLDOWN_MS: "1000",
        },
        // Every fetch the orchestrator makes lands in the test HTTP agents' Worker, which routes by host.
        outboundService: HTTP_AGENTS_WORKER,
        serviceBindings: {
          EXAMPLE_CALLER: "baton-example-caller",
          RPC_CALLER: "test-rpc-caller",
          LLM_UNCONFIGURED: UNCONFIGURED_LLM_WORKER,
          WEBHOOK_RECEIVER: "test-webhook-receiver",
          OTLP_RECEIVER: "test-otlp-receiver",
          // createPagesEventContext() insists on an ASSETS binding; the console tests route assets themselves.
          ASSETS: () => new Response("not an asset of the tests", { status: 404 }),
        },
        workers: [...buildAgentWorkers(compatibilityDate), buildHttpAgentsWorker(compatibilityDate), ...buildClientWorkers(compatibilityDate)],
      },
    }),
  ],
  test: {
    root,
    include: ["test/**/*.test.ts", "workers/**/*.test.ts", "shared/**/*.test.ts", "bench/**/*.test.ts", "pages/src/**/*.test.ts"],
    // The CLI is a Node program, and the engine's core is plain code: their tests run in Node
    // (test/cli/vitest.config.ts, test/core/vitest.config.ts).
    exclude: [...configDefaults.exclude, "test/cli/**", "test/core/**"],
    setupFiles: [resolve(root, "test/support/apply-migrations.ts")],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
}));
