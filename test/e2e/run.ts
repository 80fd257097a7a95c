/**
 * `npm run test:e2e`: the console in a real browser against the stack `npm start` runs. Starts the
 * stack (isolated: own ports, state and dev registry), launches Chromium, runs the console's tests,
 * saves a screenshot of every tab to test-results/console/, stops everything, and prints `N passed,
 * N failed` (exit code 1 when anything failed or the run took too long).
 */
import { launchBrowser } from "./browser.ts";
import { consoleTests } from "./console.e2e.ts";
import { runTests } from "./runner.ts";
import { type Stack, startStack } from "./stack.ts";

/** The whole run, stack start included, must end within this (CI must never hang on it). */
const RUN_LIMIT_MS = 8 * 60_000;

let stack: Stack | undefined;
let closeBrowser: (() => Promise<void>) | undefined;

async function shutdown(): Promise<void> {
  await closeBrowser?.().catch(() => {});
  await stack?.stop().catch(() => {});
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping`);
    void shutdown().finally(() => process.exit(130));
  });
}

const limit = setTimeout(() => {
  console.log(`\nThe browser tests took longer than ${RUN_LIMIT_MS / 60_000} min; stopping.`);
  console.log("0 passed, 1 failed");
  void shutdown().finally(() => process.exit(1));
}, RUN_LIMIT_MS);

let exitCode = 1;
try {
  const started = performance.now();
  console.log("e2e: starting the stack (npm start, isolated)…");
  stack = await startStack({ timeoutMs: 180_000 });
  console.log(`e2e: stack ready in ${((performance.now() - started) / 1000).toFixed(1)} s; console ${stack.consoleUrl}`);
  const browser = await launchBrowser();
  closeBrowser = browser.close;
  const suite = consoleTests(stack, browser.context);
  const result = await runTests(suite.tests, suite.page);
  if (result.failed > 0) console.log(`\n--- last lines of the stack's output ---\n${stack.output().split("\n").slice(-40).join("\n")}`);
  console.log(`\n${result.passed} passed, ${result.failed} failed`);
  exitCode = result.failed === 0 ? 0 : 1;
} catch (error) {
  console.log(`e2e: could not run: ${error instanceof Error ? error.message : String(error)}`);
  console.log("0 passed, 1 failed");
} finally {
  clearTimeout(limit);
  await shutdown();
}
process.exit(exitCode);
