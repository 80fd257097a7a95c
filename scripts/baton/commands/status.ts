/** `baton status <id>`: an execution's state, one line per step (the same display as `--watch`). */
import { expectPositionals } from "../args.ts";
import { type Command, EXIT } from "../context.ts";
import { printJson } from "../output.ts";
import { renderProgress } from "../progress.ts";

export const statusCommand: Command = {
  names: ["status"],
  usage: "baton status <execution-id> [--json]",
  summary: "show an execution and its steps",
  async run(ctx, args) {
    const [id] = expectPositionals(args, ["execution-id"], this.usage);
    const state = await ctx.client.executions.get(id!);
    if (ctx.out.json) printJson(ctx.out, state);
    else ctx.out.write(`${renderProgress(state, { now: ctx.now(), color: ctx.out.color }).join("\n")}\n`);
    return EXIT.ok;
  },
};
