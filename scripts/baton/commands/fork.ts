/**
 * `baton fork <id> --from <step> [--input JSON] [--param k=v …] [--watch]`: starts a new execution of an
 * ended one's template version from one of its steps. The steps before it are reused (no agent call, no
 * cost); `--input` replaces the step's input, `--param` overrides the origin's params.
 */
import { UsageError } from "../args.ts";
import type { Command } from "../context.ts";
import { paint } from "../output.ts";
import { coerceParams } from "../params.ts";
import { printOrWatch } from "../started.ts";

const usage = "baton fork <execution> --from <step> [--input JSON] [--param name=value …] [--watch] [--json]";

export const forkCommand: Command = {
  names: ["fork"],
  usage,
  summary: "rerun an ended execution from one of its steps, reusing the outputs before it",
  async run(ctx, args) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new UsageError(`${id ? `unexpected "${extra[0]}"` : "missing <execution>"}.\nUsage: ${usage}`);
    if (!args.from) throw new UsageError(`missing --from <step>.\nUsage: ${usage}`);
    let input: unknown;
    if (args.input !== undefined) {
      try {
        input = JSON.parse(args.input);
      } catch (error) {
        throw new UsageError(`--input must be JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // Param values are typed by the origin's template version, as `run` types them.
    let params: Record<string, unknown> = {};
    if (args.params.length > 0) {
      const origin = await ctx.client.executions.get(id);
      const template = await ctx.client.templates.get(origin.templateId, { version: origin.templateVersion });
      params = coerceParams(template.definition.params, args.params);
    }
    const forked = await ctx.client.executions.fork(id, {
      fromStep: args.from,
      ...(input !== undefined ? { input } : {}),
      ...(args.params.length > 0 ? { params } : {}),
    });
    return printOrWatch(ctx, args, forked, `forked ${id} from ${args.from} as ${paint(ctx.out.color, "bold", forked.id)} (${forked.status})\n  baton status ${forked.id}\n`);
  },
};

