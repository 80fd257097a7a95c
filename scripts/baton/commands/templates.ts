/** `baton templates list|show <id>|push <file>|validate <file>`: templates from the terminal. */
import type { TemplateDraft } from "#shared/api/templates.ts";
import { type CliArgs, expectPositionals, subcommand, unknownSubcommand, UsageError } from "../args.ts";
import { type CliContext, type Command, EXIT } from "../context.ts";
import { readDataFile } from "../data-file.ts";
import { paint, printJson } from "../output.ts";
import { cell, renderTable } from "../table.ts";

const usage = "baton templates list [--archived] | show <id> [--version N] | push <file.json|yaml> | validate <file.json|yaml>";

function templateId(draft: unknown, path: string): string {
  const id = draft && typeof draft === "object" ? (draft as { id?: unknown }).id : undefined;
  if (typeof id !== "string" || id === "") throw new UsageError(`${path} has no "id": a template needs one.`);
  return id;
}

async function list(ctx: CliContext, args: CliArgs): Promise<number> {
  const templates = await ctx.client.templates.list({ includeArchived: args.archived });
  if (ctx.out.json) return (printJson(ctx.out, templates), EXIT.ok);
  if (templates.length === 0) return (ctx.out.write("No templates yet: baton templates push <file>\n"), EXIT.ok);
  const table = renderTable(templates, [
    { header: "id", value: (t) => paint(ctx.out.color, "bold", t.id) },
    { header: "name", value: (t) => t.name },
    { header: "version", value: (t) => String(t.latestVersion), align: "right" },
    { header: "updated", value: (t) => cell(t.updatedAt, "updatedAt") },
    ...(args.archived ? [{ header: "archived", value: (t: { archivedAt: number | null }) => cell(t.archivedAt, "archivedAt") }] : []),
  ]);
  ctx.out.write(`${table}\n`);
  return EXIT.ok;
}

async function show(ctx: CliContext, args: CliArgs, id: string): Promise<number> {
  const record = await ctx.client.templates.get(id, args.version !== undefined ? { version: args.version } : {});
  if (ctx.out.json) return (printJson(ctx.out, record), EXIT.ok);
  const { definition } = record;
  ctx.out.write(`${paint(ctx.out.color, "bold", `${record.id} v${record.version}`)}  ${record.name}  (latest v${record.latestVersion}, by ${record.versionCreatedBy})\n`);
  if (record.description) ctx.out.write(`${record.description}\n`);
  const params = Object.entries(definition.params ?? {});
  if (params.length > 0) {
    ctx.out.write(`\nParams\n${renderTable(params, [
      { header: "name", value: ([name]) => name },
      { header: "type", value: ([, spec]) => spec.type },
      { header: "required", value: ([, spec]) => (spec.required ? "yes" : "") },
      { header: "default", value: ([, spec]) => (spec.default === undefined ? "" : JSON.stringify(spec.default)) },
    ])}\n`);
  }
  ctx.out.write(`\nSteps\n${renderTable(definition.steps, [
    { header: "id", value: (s) => s.id },
    { header: "type", value: (s) => s.type },
    { header: "agent", value: (s) => (s.type === "agent" ? s.agent : s.type === "pipeline" ? s.template : "") },
    { header: "needs", value: (s) => (s.needs ?? []).join(", ") },
  ])}\n`);
  return EXIT.ok;
}

async function push(ctx: CliContext, path: string): Promise<number> {
  const draft = readDataFile(ctx, path);
  templateId(draft, path);
  const saved = await ctx.client.templates.save(draft as TemplateDraft);
  if (ctx.out.json) return (printJson(ctx.out, saved), EXIT.ok);
  ctx.out.write(
    saved.created
      ? `${paint(ctx.out.color, "green", "saved")} ${saved.id} as version ${saved.version}\n`
      : `${saved.id} is unchanged (still version ${saved.version})\n`,
  );
  return EXIT.ok;
}

async function validate(ctx: CliContext, path: string): Promise<number> {
  const verdict = await ctx.client.templates.validate(readDataFile(ctx, path));
  if (ctx.out.json) printJson(ctx.out, verdict);
  else if (verdict.valid) ctx.out.write(`${paint(ctx.out.color, "green", "valid")}: ${path}\n`);
  else {
    ctx.out.write(`${paint(ctx.out.color, "red", "invalid")}: ${path}\n`);
    for (const issue of verdict.issues) ctx.out.write(`  ${issue.path || "(template)"}: ${issue.message}\n`);
  }
  return verdict.valid ? EXIT.ok : EXIT.failed;
}

export const templatesCommand: Command = {
  names: ["templates", "template"],
  usage,
  summary: "list, show, push (save a new version) and validate templates",
  async run(ctx, args) {
    const { sub, rest } = subcommand(args);
    switch (sub) {
      case "list":
      case undefined:
        expectPositionals(rest, [], "baton templates list [--archived]");
        return list(ctx, args);
      case "show":
        return show(ctx, args, expectPositionals(rest, ["id"], "baton templates show <id> [--version N]")[0]!);
      case "push":
        return push(ctx, expectPositionals(rest, ["file"], "baton templates push <file.json|yaml>")[0]!);
      case "validate":
        return validate(ctx, expectPositionals(rest, ["file"], "baton templates validate <file.json|yaml>")[0]!);
      default:
        throw unknownSubcommand("templates", sub, usage);
    }
  },
};
