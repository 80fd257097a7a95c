/**
 * `baton agents`: the agent registry with health, latency and recent runs; `baton agents run <name>
 * --input JSON [--watch]`: one direct run of an agent, followed live to its end with `--watch`.
 */
import { expectPositionals, UsageError } from "../args.ts";
import { type Command, EXIT } from "../context.ts";
import { paint, printJson } from "../output.ts";
import { exitCodeOf, watchExecution } from "../watch.ts";
import { showReport } from "./report.ts";

const runUsage = "baton agents run <name> --input JSON [--watch] [--priority N] [--idempotency-key KEY] [--json]";

function parseInput(text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`missing --input: the agent's input as JSON, e.g. --input '{"value":"hi"}'.\nUsage: ${runUsage}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--input is not JSON (${error instanceof Error ? error.message : String(error)}).\nUsage: ${runUsage}`);
  }
}

export const agentsCommand: Command = {
  names: ["agents"],
  usage: `baton agents [--json]  ·  ${runUsage}`,
  summary: "list the agents with their health, or run one directly",
  async run(ctx, args) {
    if (args.positionals[0] !== "run") {
      expectPositionals(args, [], this.usage);
      return showReport(ctx, "/v1/agents", async () => ({ agents: await ctx.client.agents.list() }));
    }
    const [, name] = expectPositionals(args, ["run", "name"], runUsage);
    const started = await ctx.client.agents.run(name!, {
      input: parseInput(args.input),
      ...(args.priority !== undefined ? { priority: args.priority } : {}),
      ...(args.idempotencyKey !== undefined ? { idempotencyKey: args.idempotencyKey } : {}),
    });
    if (!args.watch) {
      if (ctx.out.json) printJson(ctx.out, started);
      else ctx.out.write(`started ${paint(ctx.out.color, "bold", started.id)} (${started.status}, template ${started.template})\n  baton status ${started.id}\n`);
      return EXIT.ok;
    }
    const final = await watchExecution(ctx, started.id);
    if (ctx.out.json) printJson(ctx.out, final, false);
    return exitCodeOf(final);
  },
};
