/** `baton cancel|pause|resume|retry <id>`: steering an execution; prints its state after the change. */
import { expectPositionals } from "../args.ts";
import { type Command, EXIT } from "../context.ts";
import { paint, printJson } from "../output.ts";

type Action = "cancel" | "pause" | "resume" | "retry";

const summaries: Record<Action, string> = {
  cancel: "cancel an execution (--reason to say why)",
  pause: "pause an execution: running steps finish, no new one starts",
  resume: "resume a paused execution",
  retry: "retry a failed execution from its failed steps",
};

function controlCommand(action: Action): Command {
  const takesReason = action === "cancel" || action === "pause";
  return {
    names: [action],
    usage: `baton ${action} <execution-id>${takesReason ? " [--reason TEXT]" : ""} [--json]`,
    summary: summaries[action],
    async run(ctx, args) {
      const [id] = expectPositionals(args, ["execution-id"], this.usage);
      const executions = ctx.client.executions;
      const reason = args.reason !== undefined ? { reason: args.reason } : {};
      const state =
        action === "cancel"
          ? await executions.cancel(id!, reason)
          : action === "pause"
            ? await executions.pause(id!, reason)
            : action === "resume"
              ? await executions.resume(id!)
              : await executions.retry(id!);
      if (ctx.out.json) printJson(ctx.out, state);
      else ctx.out.write(`${id}: ${paint(ctx.out.color, "bold", state.status)}\n`);
      return EXIT.ok;
    },
  };
}

export const controlCommands = (["cancel", "pause", "resume", "retry"] as const).map(controlCommand);
