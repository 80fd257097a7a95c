/**
 * Runs the long-lived child processes of `npm start` as one unit: their output is streamed line by line
 * under a name prefix; Ctrl-C (SIGINT, SIGTERM, SIGHUP) stops them all; if one dies on its own, the
 * others are stopped too and the whole run fails, so a half-working stack never looks healthy.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { stripVTControlCharacters } from "node:util";

export type ChildSpec = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Makes a filter for each output stream: it returns the line to show, or undefined to drop it. */
  lineFilter?: () => (line: string) => string | undefined;
};

export type StopReason =
  | { kind: "signal"; signal: NodeJS.Signals }
  | { kind: "child-exited"; name: string; code: number | null; signal: NodeJS.Signals | null }
  | { kind: "error"; message: string };

/** How long a child gets to shut down (wrangler disposes workerd) before it is killed. */
const gracePeriodMs = 5_000;

const colors = [36, 35, 33, 32, 34];
const useColor = process.stdout.isTTY === true;
/** Room for the longest name ("console") in brackets, so that every line's text starts in one column. */
const labelWidth = 10;

/** A line of output under a name, coloured on a terminal (wrangler colours even into a pipe: strip that). */
export function prefixed(name: string, line: string): string {
  const label = `[${name}]`.padEnd(labelWidth);
  if (!useColor) return `${label}${stripVTControlCharacters(line)}`;
  const color = colors[[...name].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % colors.length];
  return `\x1b[${color}m${label}\x1b[0m${line}`;
}

export class Supervisor {
  readonly #children = new Map<string, ChildProcess>();
  readonly #exited = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #reason: StopReason | undefined;

  constructor() {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => {
        // A second Ctrl-C while stopping means "now": no more waiting for a graceful shutdown.
        if (this.#reason) for (const child of this.#children.values()) killGroup(child, "SIGKILL");
        else this.stop({ kind: "signal", signal });
      });
    }
  }

  /** Aborted as soon as stopping begins, so waits elsewhere (health checks) give up at once. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  start(spec: ChildSpec): void {
    // Its own process group, so that stopping it also reaches the workerd it spawns, and so that a
    // terminal's Ctrl-C comes to us once instead of racing into every process at the same time.
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#children.set(spec.name, child);
    for (const [stream, target] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      const filter = spec.lineFilter?.() ?? ((line: string) => line);
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        // After Ctrl-C, what children say while dying (log paths, esbuild's goroutine dumps) is noise.
        if (this.#reason?.kind === "signal") return;
        const shown = filter(line);
        if (shown !== undefined) target.write(`${prefixed(spec.name, shown)}\n`);
      });
    }
    this.#exited.set(
      spec.name,
      new Promise((resolveExit) => {
        child.on("error", (error) => {
          this.stop({ kind: "error", message: `could not start ${spec.name}: ${error.message}` });
          resolveExit();
        });
        child.on("exit", (code, signal) => {
          this.#children.delete(spec.name);
          // A workerd left behind would keep the output pipes (and the port) open.
          killGroup(child, "SIGKILL");
          this.stop({ kind: "child-exited", name: spec.name, code, signal });
        });
        // "close" comes after the last line of output, so nothing is lost when we exit right after.
        child.on("close", () => resolveExit());
      }),
    );
  }

  /** Begins stopping everything (the first reason wins); `done()` resolves when all have exited. */
  stop(reason: StopReason): void {
    if (this.#reason) return;
    this.#reason = reason;
    this.#abort.abort();
    for (const child of this.#children.values()) {
      child.kill("SIGTERM");
      setTimeout(() => killGroup(child, "SIGKILL"), gracePeriodMs).unref();
    }
  }

  async done(): Promise<StopReason> {
    await new Promise<void>((resolveStop) => {
      if (this.#abort.signal.aborted) resolveStop();
      else this.#abort.signal.addEventListener("abort", () => resolveStop(), { once: true });
    });
    await Promise.all(this.#exited.values());
    return this.#reason ?? { kind: "error", message: "stopped for no recorded reason" };
  }
}

/** Kills what is left of a child's process group (workerd outliving wrangler); gone already is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}
