/** What every command gets: the API client, where to write, and the few ways it touches the machine. */
import type { BatonClient } from "#shared/client/index.ts";
import type { CliArgs } from "./args.ts";
import type { Connection } from "./connection.ts";
import type { Output } from "./output.ts";

export interface CliContext {
  client: BatonClient;
  connection: Connection;
  out: Output;
  /** Asks a question on the terminal; undefined when there is none to ask (a pipe, --json). */
  ask: ((question: string) => Promise<string>) | undefined;
  readFile(path: string): string;
  now(): number;
}

/** Exit codes (documented in `baton --help`). */
export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 3 } as const;

export interface Command {
  /** The words that select it (`templates`, `run`, `cancel`). */
  names: readonly string[];
  usage: string;
  summary: string;
  run(ctx: CliContext, args: CliArgs): Promise<number>;
}
