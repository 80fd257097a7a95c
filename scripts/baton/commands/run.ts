/**
 * `baton run <template> [--param k=v …] [--watch]`: starts an execution. Params are typed by the
 * template's specs; required ones that are missing are asked for on a terminal. With `--watch` it shows
 * the execution live to its end and exits 0 (completed), 1 (failed) or 3 (cancelled).
 */
import type { ParamSpec } from "#shared/template.ts";
import { UsageError } from "../args.ts";
import type { CliContext, Command } from "../context.ts";
import { paint } from "../output.ts";
import { coerceParam, coerceParams, missingParams } from "../params.ts";
import { printOrWatch, queueOptions } from "../started.ts";

const usage = "baton run <template> [--param name=value …] [--version N] [--priority N] [--idempotency-key KEY] [--watch] [--json]";

async function askFor(ctx: CliContext, name: string, spec: ParamSpec): Promise<unknown> {
  const ask = ctx.ask!;
  const hint = [spec.type, spec.description, spec.enum ? `one of ${spec.enum.join(", ")}` : ""].filter(Boolean).join(", ");
  for (;;) {
    const answer = (await ask(`${name} (${hint}): `)).trim();
    if (answer === "") continue;
    try {
      return coerceParam(name, spec, answer);
    } catch (error) {
      ctx.out.error(`${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

export const runCommand: Command = {
  names: ["run"],
  usage,
  summary: "start an execution of a template (--watch to follow it live)",
  async run(ctx, args) {
    const [templateId, ...extra] = args.positionals;
    if (!templateId || extra.length > 0) throw new UsageError(`${templateId ? `unexpected "${extra[0]}"` : "missing <template>"}.\nUsage: ${usage}`);
    const template = await ctx.client.templates.get(templateId, args.version !== undefined ? { version: args.version } : {});
    const specs = template.definition.params;
    const params = coerceParams(specs, args.params);
    const missing = missingParams(specs, params);
    if (missing.length > 0) {
      if (!ctx.ask) {
        throw new UsageError(`${templateId} needs ${missing.map(([name]) => `--param ${name}=…`).join(" ")} (no terminal to ask on).`);
      }
      for (const [name, spec] of missing) params[name] = await askFor(ctx, name, spec);
    }
    const started = await ctx.client.executions.start({
      template: templateId,
      params,
      ...(args.version !== undefined ? { version: args.version } : {}),
      ...queueOptions(args),
    });
    const line = `${started.created ? "started" : "already started"} ${paint(ctx.out.color, "bold", started.id)} (${started.status})\n  baton status ${started.id}  ·  baton run ${templateId} --watch\n`;
    return printOrWatch(ctx, args, started, line);
  },
};
