/** `baton usage [--group-by day|template|agent] [--since …] [--until …]`: tokens and cost. */
import { expectPositionals, UsageError } from "../args.ts";
import type { Command } from "../context.ts";
import { showReport } from "./report.ts";

const groupings = ["day", "template", "agent"] as const;

export const usageCommand: Command = {
  names: ["usage"],
  usage: "baton usage [--group-by day|template|agent] [--since DATE] [--until DATE] [--json]",
  summary: "show tokens and cost, grouped by day, template or agent",
  async run(ctx, args) {
    expectPositionals(args, [], this.usage);
    const groupBy = args.groupBy as (typeof groupings)[number] | undefined;
    if (groupBy !== undefined && !groupings.includes(groupBy)) throw new UsageError(`--group-by must be one of ${groupings.join(", ")}.`);
    const query = { ...(groupBy ? { groupBy } : {}), ...(args.since ? { since: args.since } : {}), ...(args.until ? { until: args.until } : {}) };
    return showReport(ctx, "/v1/usage", () => ctx.client.usage(query));
  },
};
