/**
 * The CLI's tests run in Node (the CLI is a Node program): plain unit tests of its pure parts, and
 * tests that run `baton` against a real local stack started with `wrangler dev`, and the tests of
 * `npm start` itself (npm-start.test.ts) and `npm run deploy`'s planning.
 */
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

const root = resolve(import.meta.dirname, "../..");

export default defineConfig({
  test: {
    name: "cli",
    root,
    environment: "node",
    include: ["test/cli/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
