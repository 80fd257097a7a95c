/**
 * The engine's pure core runs in plain Node: its unit tests and the deterministic simulation need no
 * workerd, which is what lets the simulator drive ten thousand executions in a minute.
 */
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const root = resolve(import.meta.dirname, "../..");

export default defineConfig({
  test: {
    root,
    include: ["test/core/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
  },
});
