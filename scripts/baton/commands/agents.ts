/** `baton agents`: the agent registry with health, latency and recent runs. */
import { expectPositionals } from "../args.ts";
import type { Command } from "../context.ts";
import { showReport } from "./report.ts";

export const agentsCommand: Command = {
  names: ["agents"],
  usage: "baton agents [--json]",
  summary: "list the agents with their health",
  async run(ctx, args) {
    expectPositionals(args, [], this.usage);
    return showReport(ctx, "/v1/agents", async () => ({ agents: await ctx.client.agents.list() }));
  },
};
