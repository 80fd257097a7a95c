/**
 * What `run`, `agents run` and `fork` do once they have started an execution: print one line saying
 * so, or with `--watch` follow it live to its end and exit by how it ended.
 */
import type { CliArgs } from "./args.ts";
import { type CliContext, EXIT } from "./context.ts";
import { printJson } from "./output.ts";
import { exitCodeOf, watchExecution } from "./watch.ts";

/** The queueing options a start takes from the command line, when given. */
export function queueOptions(args: CliArgs): { priority?: number; idempotencyKey?: string } {
  return {
    ...(args.priority !== undefined ? { priority: args.priority } : {}),
    ...(args.idempotencyKey !== undefined ? { idempotencyKey: args.idempotencyKey } : {}),
  };
}

/** `line` (or the answer as JSON) without `--watch`; with it, the execution followed to its end. */
export async function printOrWatch(ctx: CliContext, args: CliArgs, started: { id: string }, line: string): Promise<number> {
  if (!args.watch) {
    if (ctx.out.json) printJson(ctx.out, started);
    else ctx.out.write(line);
    return EXIT.ok;
  }
  const final = await watchExecution(ctx, started.id);
  if (ctx.out.json) printJson(ctx.out, final, false);
  return exitCodeOf(final);
}
