/**
 * How `npm run deploy` calls wrangler: the pinned binary, non-interactive (CI=true: wrangler confirms
 * remote migrations by itself), stdout kept apart from stderr so that `--json` answers parse. One
 * interface, so the deploy's flow can be run against a recording stand-in in tests.
 */
import { spawn } from "node:child_process";
import { repoRoot } from "../worker-configs.ts";
import { wranglerBin, wranglerEnv } from "../wrangler-env.ts";

export interface WranglerResult {
  code: number;
  stdout: string;
  /** stdout and stderr together, in order, to show when a step fails. */
  output: string;
}

export interface Wrangler {
  /** Runs `wrangler <args>` in `cwd` (relative to the repository; the root by default). */
  run(args: string[], options?: { cwd?: string }): Promise<WranglerResult>;
}

export function realWrangler(): Wrangler {
  return {
    run(args, { cwd = "." } = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(wranglerBin, args, {
          cwd: `${repoRoot}/${cwd}`,
          env: wranglerEnv({ CI: "true" }),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          output += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, output }));
      });
    },
  };
}
