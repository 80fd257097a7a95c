/**
 * `baton logs <id> [--follow]`: the log lines an execution's agents wrote. `--follow` keeps printing new
 * ones until the execution ends (from the event stream, reconnecting if it drops).
 */
import type { LogLine } from "#shared/api/executions.ts";
import { expectPositionals } from "../args.ts";
import { type CliContext, type Command, EXIT } from "../context.ts";
import { type Color, paint, printJson } from "../output.ts";

const levelColors: Record<LogLine["level"], Color> = { debug: "gray", info: "blue", warn: "yellow", error: "red" };

function print(ctx: CliContext, line: LogLine): void {
  if (ctx.out.json) return printJson(ctx.out, line, false);
  const time = new Date(line.at).toISOString().slice(11, 23);
  const step = `${line.stepId}${line.item !== undefined ? `[${line.item}]` : ""}#${line.attempt}`;
  ctx.out.write(`${paint(ctx.out.color, "gray", time)} ${paint(ctx.out.color, levelColors[line.level], line.level.padEnd(5))} ${step}  ${line.message}\n`);
}

export const logsCommand: Command = {
  names: ["logs"],
  usage: "baton logs <execution-id> [--follow] [--step ID] [--level debug|info|warn|error] [--json]",
  summary: "print the log lines of an execution's agents",
  async run(ctx, args) {
    const [id] = expectPositionals(args, ["execution-id"], this.usage);
    const level = args.level as LogLine["level"] | undefined;
    if (!args.follow) {
      let after = 0;
      for (;;) {
        const page = await ctx.client.executions.logs(id!, { after, limit: 1000, ...(level ? { level } : {}), ...(args.step ? { step: args.step } : {}) });
        for (const line of page.logs) print(ctx, line);
        if (page.nextAfter === null) return EXIT.ok;
        after = page.nextAfter;
      }
    }
    const rank = { debug: 0, info: 1, warn: 2, error: 3 } as const;
    for await (const event of ctx.client.executions.events(id!)) {
      if (event.type !== "step.log") continue;
      const data = event.data as Omit<LogLine, "seq" | "at">;
      if (level && rank[data.level] < rank[level]) continue;
      if (args.step && data.stepId !== args.step) continue;
      print(ctx, { ...data, seq: event.seq, at: event.at });
    }
    return EXIT.ok;
  },
};
