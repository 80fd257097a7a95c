/**
 * `baton agents`: the agent registry with health, latency and recent runs; `baton agents run <name>
 * --input JSON [--watch]`: one direct run of an agent, followed live to its end with `--watch`.
 */
import { expectPositionals, UsageError } from "../args.ts";
import type { Command } from "../context.ts";
import { paint } from "../output.ts";
import { printOrWatch, queueOptions } from "../started.ts";
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
    const started = await ctx.client.agents.run(name!, { input: parseInput(args.input), ...queueOptions(args) });
    return printOrWatch(ctx, args, started, `started ${paint(ctx.out.color, "bold", started.id)} (${started.status}, template ${started.template})\n  baton status ${started.id}\n`);
  },
};
