/**
 * `baton triggers list|show|put|delete|deliveries|send`: inbound triggers from the terminal, including
 * sending a test event (signed with `--secret` for a signature trigger) and reading what became of it.
 */
import type { TriggerInput } from "#shared/api/triggers.ts";
import { type CliArgs, expectPositionals, subcommand, unknownSubcommand } from "../args.ts";
import { type CliContext, type Command, EXIT } from "../context.ts";
import { readDataFile } from "../data-file.ts";
import { paint, printJson } from "../output.ts";
import { cell, renderTable } from "../table.ts";

const usage =
  "baton triggers list [--template ID] | show <name> | put <name> <file.json> | delete <name> | deliveries <name> | send <name> <payload.json> [--secret S]";

async function list(ctx: CliContext, args: CliArgs): Promise<number> {
  const triggers = await ctx.client.triggers.list(args.template !== undefined ? { template: args.template } : {});
  if (ctx.out.json) return (printJson(ctx.out, triggers), EXIT.ok);
  if (triggers.length === 0) return (ctx.out.write("No triggers yet: baton triggers put <name> <file.json>\n"), EXIT.ok);
  ctx.out.write(
    `${renderTable(triggers, [
      { header: "name", value: (t) => paint(ctx.out.color, "bold", t.name) },
      { header: "template", value: (t) => t.template },
      { header: "auth", value: (t) => t.auth },
      { header: "mode", value: (t) => (t.debounce ? `debounce ${t.debounce.periodMs} ms` : t.batch ? `batch ${t.batch.maxSize} / ${t.batch.maxWaitMs} ms` : "at once") },
      { header: "events", value: (t) => t.eventsPath },
    ])}\n`,
  );
  return EXIT.ok;
}

async function deliveries(ctx: CliContext, name: string): Promise<number> {
  const page = await ctx.client.triggers.deliveries(name, { limit: 50 });
  if (ctx.out.json) return (printJson(ctx.out, page), EXIT.ok);
  if (page.deliveries.length === 0) return (ctx.out.write(`No deliveries to ${name} yet.\n`), EXIT.ok);
  ctx.out.write(
    `${renderTable(page.deliveries, [
      { header: "received", value: (d) => cell(d.receivedAt, "receivedAt") },
      { header: "status", value: (d) => paint(ctx.out.color, d.status === "refused" ? "red" : d.status === "started" ? "green" : "bold", d.status) },
      { header: "execution", value: (d) => d.executionId ?? "" },
      { header: "key", value: (d) => d.key ?? "" },
      { header: "detail", value: (d) => d.detail ?? "" },
    ])}\n`,
  );
  return EXIT.ok;
}

export const triggersCommand: Command = {
  names: ["triggers", "trigger"],
  usage,
  summary: "define inbound triggers, send a test event, read their deliveries",
  async run(ctx, args) {
    const { sub, rest } = subcommand(args);
    switch (sub) {
      case "list":
      case undefined:
        expectPositionals(rest, [], "baton triggers list [--template ID]");
        return list(ctx, args);
      case "show": {
        const [name] = expectPositionals(rest, ["name"], "baton triggers show <name>");
        const trigger = await ctx.client.triggers.get(name!);
        printJson(ctx.out, trigger);
        return EXIT.ok;
      }
      case "put": {
        const [name, file] = expectPositionals(rest, ["name", "file"], "baton triggers put <name> <file.json>");
        const saved = await ctx.client.triggers.put(name!, readDataFile(ctx, file!) as TriggerInput);
        if (ctx.out.json) return (printJson(ctx.out, saved), EXIT.ok);
        ctx.out.write(`${paint(ctx.out.color, "green", saved.created ? "created" : "saved")} ${saved.name}: POST ${saved.eventsPath}\n`);
        if (saved.secret) ctx.out.write(`signing secret (shown once, keep it): ${saved.secret}\n`);
        return EXIT.ok;
      }
      case "delete": {
        const [name] = expectPositionals(rest, ["name"], "baton triggers delete <name>");
        await ctx.client.triggers.remove(name!);
        if (!ctx.out.json) ctx.out.write(`deleted ${name}\n`);
        return EXIT.ok;
      }
      case "deliveries":
        return deliveries(ctx, expectPositionals(rest, ["name"], "baton triggers deliveries <name>")[0]!);
      case "send": {
        const [name, file] = expectPositionals(rest, ["name", "payload"], "baton triggers send <name> <payload.json> [--secret S]");
        const answer = await ctx.client.triggers.send(name!, readDataFile(ctx, file!), args.secret !== undefined ? { secret: args.secret } : {});
        if (ctx.out.json) return (printJson(ctx.out, answer), EXIT.ok);
        const what = answer.duplicate ? "duplicate" : answer.debounced ? "debounced" : answer.batched ? "batched" : "started";
        ctx.out.write(`${what} (delivery ${answer.deliveryId})${answer.executionId ? `: ${answer.executionId}` : ""}\n`);
        return EXIT.ok;
      }
      default:
        throw unknownSubcommand("triggers", sub, usage);
    }
  },
};
