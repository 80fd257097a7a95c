/**
 * `baton insights <template> [--by theme] [--window 7d|30d|90d] [--cursor C]`: a template's runs per
 * key over the window, most runs first, with each key's use of the template's rate limit.
 */
import { type InsightWindow, insightWindows, type KeyInsight } from "#shared/api/insights.ts";
import { expectPositionals, UsageError } from "../args.ts";
import { type Command, EXIT } from "../context.ts";
import { printJson } from "../output.ts";
import { type Column, renderTable } from "../table.ts";

const usage = "baton insights <template> [--by PARAM|concurrencyKey|rateKey] [--window 7d|30d|90d] [--cursor C] [--json]";

const when = (at: number | null) => (at === null ? "-" : new Date(at).toISOString().replace("T", " ").slice(0, 16));

const columns: Column<KeyInsight>[] = [
  { header: "key", value: (k) => k.key ?? "(none)" },
  { header: "runs", value: (k) => String(k.runs), align: "right" },
  { header: "completed", value: (k) => String(k.completed), align: "right" },
  { header: "failed", value: (k) => String(k.failed), align: "right" },
  { header: "cost", value: (k) => `$${k.costUsd.toFixed(4)}`, align: "right" },
  { header: "last run", value: (k) => when(k.lastRunAt) },
  { header: "rate", value: (k) => (k.rate ? `${k.rate.used}/${k.rate.allowed} per ${k.rate.window}` : "-") },
  { header: "frees", value: (k) => (k.rate ? (k.rate.freesAt === null ? "now" : when(k.rate.freesAt)) : "-") },
];

export const insightsCommand: Command = {
  names: ["insights"],
  usage,
  summary: "show a template's runs per param or key, with rate-limit saturation",
  async run(ctx, args) {
    const [template] = expectPositionals(args, ["template"], usage);
    const window = args.window ?? "30d";
    if (!(insightWindows as readonly string[]).includes(window)) throw new UsageError(`--window must be one of ${insightWindows.join(", ")}, not "${window}".`);
    const report = await ctx.client.insights({
      template: template!,
      window: window as InsightWindow,
      ...(args.by ? { by: args.by } : {}),
      ...(args.cursor ? { cursor: args.cursor } : {}),
    });
    if (ctx.out.json) {
      printJson(ctx.out, report);
      return EXIT.ok;
    }
    const limit = report.rateLimit ? `; rate limit ${report.rateLimit.limit} per ${report.rateLimit.window} per key` : "";
    ctx.out.write(`${report.template} by ${report.by}, last ${report.window}${limit}\n`);
    ctx.out.write(report.keys.length === 0 ? "no runs in this window\n" : `${renderTable(report.keys, columns)}\n`);
    if (report.nextCursor) ctx.out.write(`more: baton insights ${report.template} --by ${report.by} --window ${report.window} --cursor ${report.nextCursor}\n`);
    return EXIT.ok;
  },
};
