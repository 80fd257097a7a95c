/** `baton approve|reject <id> <step>`: deciding an approval step that waits. */
import { expectPositionals } from "../args.ts";
import { type Command, EXIT } from "../context.ts";
import { paint, printJson } from "../output.ts";

function decideCommand(decision: "approve" | "reject"): Command {
  return {
    names: [decision],
    usage: `baton ${decision} <execution-id> <step-id> [--comment TEXT] [--json]`,
    summary: decision === "approve" ? "approve a waiting approval step" : "reject a waiting approval step (the step fails)",
    async run(ctx, args) {
      const [id, step] = expectPositionals(args, ["execution-id", "step-id"], this.usage);
      const comment = args.comment !== undefined ? { comment: args.comment } : {};
      const state = await (decision === "approve" ? ctx.client.executions.approve(id!, step!, comment) : ctx.client.executions.reject(id!, step!, comment));
      if (ctx.out.json) printJson(ctx.out, state);
      else ctx.out.write(`${decision === "approve" ? "approved" : "rejected"} ${step} of ${id}: execution ${paint(ctx.out.color, "bold", state.status)}\n`);
      return EXIT.ok;
    },
  };
}

export const decideCommands = [decideCommand("approve"), decideCommand("reject")];
