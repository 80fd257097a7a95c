/**
 * The stack the browser tests run against, started the way `npm start` starts it (scripts/start.ts)
 * but isolated from anything else on the machine: free ports, a temporary state directory (fresh D1
 * and Durable Objects), and a private wrangler dev registry so that the console's service binding finds
 * this orchestrator and no other. The sign-in is read from the banner `npm start` prints.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { freePort } from "../../scripts/free-port.ts";
import { stripVTControlCharacters } from "node:util";

export interface Stack {
  consoleUrl: string;
  apiUrl: string;
  email: string;
  password: string;
  apiToken: string;
  /** The stack's output so far (shown when something fails). */
  output(): string;
  stop(): Promise<void>;
}

const repoRoot = new URL("../..", import.meta.url).pathname;

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export type StackOptions = {
  timeoutMs: number;
  /**
   * The environment of `npm start`, given the stack's temporary directory. By default the process's own,
   * with a private dev registry in that directory.
   */
  env?: (dir: string) => NodeJS.ProcessEnv;
};

export async function startStack(options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const [apiPort, consolePort] = [await freePort(), await freePort()];
  const lines: string[] = [];
  const child = spawn(
    join(repoRoot, "node_modules/.bin/node"),
    ["scripts/start.ts", "--api-port", String(apiPort), "--console-port", String(consolePort), "--state-dir", join(dir, "state")],
    {
      cwd: repoRoot,
      // Its own process group: stopping it reaches start.ts, which stops wrangler and workerd in turn.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...(options.env?.(dir) ?? { ...process.env, WRANGLER_REGISTRY_PATH: join(dir, "registry") }), CI: "true" },
    },
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-(child.pid as number), name);
        } catch {
          // Already gone.
        }
      };
      signal("SIGINT");
      // A second SIGINT tells start.ts to stop waiting for a graceful shutdown and kill its children.
      if (!(await exited(child, 12_000))) signal("SIGINT");
      if (!(await exited(child, 5_000))) signal("SIGKILL");
      await exited(child, 2_000);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const ready = new Promise<{ email: string; password: string; apiToken: string }>((resolve, reject) => {
    let email: string | undefined;
    let password: string | undefined;
    let apiToken: string | undefined;
    const timer = setTimeout(() => reject(new Error(`the stack was not ready after ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream, crlfDelay: Infinity }).on("line", (raw) => {
        const line = stripVTControlCharacters(raw);
        lines.push(line);
        const signIn = /^\s*Sign in\s+(\S+)\s+\/\s+(\S+)\s*$/.exec(line);
        if (signIn) [email, password] = [signIn[1], signIn[2]];
        const token = /^\s*API token\s+(\S+)\s*$/.exec(line);
        if (token) apiToken = token[1];
        if (/Baton is ready/.test(line)) {
          // The banner's lines follow this one; give them a moment.
          setTimeout(() => {
            clearTimeout(timer);
            if (email && password && apiToken) resolve({ email, password, apiToken });
            else reject(new Error("the stack is ready but printed no sign-in"));
          }, 200);
        }
      });
    }
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });

  try {
    const credentials = await ready;
    return {
      consoleUrl: `http://localhost:${consolePort}`,
      apiUrl: `http://localhost:${apiPort}`,
      ...credentials,
      output: () => lines.join("\n"),
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- stack output ---\n${lines.slice(-60).join("\n")}`);
  }
}
