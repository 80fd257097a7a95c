/**
 * A small sequential test runner for the browser tests: each test runs in order with a time limit, a
 * failure is reported with a screenshot of the page, and the run ends with a line `N passed, N failed`.
 * (The tests are one story, sign-in to sign-out, so they share one browser page and run in order.)
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

export interface TestCase {
  name: string;
  timeoutMs: number;
  fn: () => Promise<void>;
}

export interface RunResult {
  passed: number;
  failed: number;
}

export const resultsDir = new URL("../../test-results/console/", import.meta.url).pathname;

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runTests(tests: TestCase[], page: () => Page | undefined): Promise<RunResult> {
  // Screenshots of an earlier run would pass for this one's.
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const result: RunResult = { passed: 0, failed: 0 };
  for (const test of tests) {
    const started = performance.now();
    try {
      await withTimeout(test.fn(), test.timeoutMs, test.name);
      result.passed++;
      console.log(`  ✓ ${test.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      result.failed++;
      console.log(`  ✗ ${test.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      console.log(`    ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).split("\n").slice(0, 8).join("\n    ")}`);
      const current = page();
      if (current) {
        const path = join(resultsDir, `FAILED-${slug(test.name)}.png`);
        await current.screenshot({ path, fullPage: true }).catch(() => {});
        console.log(`    page: ${current.url()}  screenshot: ${path}`);
      }
    }
  }
  return result;
}
