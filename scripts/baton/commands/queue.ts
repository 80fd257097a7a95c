/** `baton queue`: executions running and waiting to run, with their position and why they wait. */
import { expectPositionals } from "../args.ts";
import type { Command } from "../context.ts";
import { showReport } from "./report.ts";

export const queueCommand: Command = {
  names: ["queue"],
  usage: "baton queue [--json]",
  summary: "show running and queued executions, with why each one waits",
  async run(ctx, args) {
    expectPositionals(args, [], this.usage);
    return showReport(ctx, "/v1/queue", () => ctx.client.queue());
  },
};
