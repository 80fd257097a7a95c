/** `baton stats`: the dashboard's numbers (by status now, today, per hour), counted exactly by the API. */
import { expectPositionals } from "../args.ts";
import type { Command } from "../context.ts";
import { EXIT } from "../context.ts";
import { printJson } from "../output.ts";

export const statsCommand: Command = {
  names: ["stats"],
  usage: "baton stats [--json]",
  summary: "show executions by status, today's outcomes and cost",
  async run(ctx, args) {
    expectPositionals(args, [], this.usage);
    // "Today" is the terminal's day, not UTC's.
    const stats = await ctx.client.stats({ utcOffsetMinutes: -new Date(ctx.now()).getTimezoneOffset() });
    if (ctx.out.json) {
      printJson(ctx.out, stats);
      return EXIT.ok;
    }
    const now = Object.entries(stats.byStatus)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${status} ${n}`)
      .join(", ");
    const t = stats.today;
    const rate = t.successRate === null ? "no runs finished" : `${Math.round(t.successRate * 1000) / 10}% succeeded`;
    const hours = stats.hourly.slice(-6).map((b) => `${new Date(b.start).toTimeString().slice(0, 5)} ${b.created}`);
    ctx.out.write(
      [
        `Now:    ${now || "no executions"}`,
        `Today:  ${t.created} started, ${t.finished} finished (${t.completed} completed, ${t.failed} failed, ${t.cancelled} cancelled); ${rate}; $${t.costUsd.toFixed(4)}`,
        `Starts in the last hours: ${hours.join(" · ")}`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
