/**
 * Bundles one Worker entry into a single ES module for the test runtime: the vitest plugin bundles only
 * the Worker under test, so auxiliary Workers must arrive as built JavaScript.
 *
 * Runs in Node (from vitest.config.ts), not in workerd.
 */
import { buildSync } from "esbuild";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");
const outDir = join(repoRoot, ".test-build");

/** Builds `entry` (relative to the repo) into `.test-build/<name>.mjs` and returns that path. */
export function bundleWorker(entry: string, name: string): string {
  const scriptPath = join(outDir, `${name}.mjs`);
  buildSync({
    entryPoints: [join(repoRoot, entry)],
    outfile: scriptPath,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    external: ["cloudflare:*", "node:*"],
    logLevel: "warning",
  });
  return scriptPath;
}
