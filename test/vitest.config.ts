/**
 * The test suite runs inside workerd: the orchestrator from wrangler.toml is the Worker under test, and
 * every sample agent runs beside it as a real auxiliary Worker behind its service binding.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";
import { buildAgentWorkers } from "./support/agent-workers.ts";

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
        },
        workers: buildAgentWorkers(compatibilityDate),
      },
    }),
  ],
  test: {
    root,
    include: ["test/**/*.test.ts", "workers/**/*.test.ts", "shared/**/*.test.ts"],
    setupFiles: [resolve(root, "test/support/apply-migrations.ts")],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
}));
