/**
 * The command line of `baton`: a command, its positional arguments, repeatable `--param k=v`, and flags.
 * Pure (no I/O), so that every way of calling the CLI is checked by plain unit tests.
 */
import { parseArgs } from "node:util";

/** A mistake in how the CLI was called; `baton` prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliArgs {
  /** `templates`, `run`, … ; undefined when none was given. */
  command: string | undefined;
  positionals: string[];
  /** `--param k=v` / `-p k=v`, in order; values are still text. */
  params: [string, string][];
  json: boolean;
  watch: boolean;
  follow: boolean;
  help: boolean;
  archived: boolean;
  url?: string;
  token?: string;
  tokenFile?: string;
  reason?: string;
  comment?: string;
  /** A template version (`templates show --version 3`, `run --version 3`). */
  version?: number;
  priority?: number;
  idempotencyKey?: string;
  level?: string;
  step?: string;
  /** `fork --from <step>`. */
  from?: string;
  /** `fork --input JSON` (the step's input) and `agents run <name> --input JSON` (the agent's input), still text. */
  input?: string;
  groupBy?: string;
  /** A signature trigger's secret (`triggers send --secret`). */
  secret?: string;
  /** Filter by template (`triggers list --template`). */
  template?: string;
  since?: string;
  until?: string;
  /** `users add --role viewer`. */
  role?: string;
  password?: string;
  /** `insights <template> --by theme --window 30d`. */
  by?: string;
  window?: string;
  cursor?: string;
}

const options = {
  param: { type: "string", short: "p", multiple: true },
  json: { type: "boolean" },
  watch: { type: "boolean", short: "w" },
  follow: { type: "boolean", short: "f" },
  help: { type: "boolean", short: "h" },
  archived: { type: "boolean" },
  url: { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
  reason: { type: "string" },
  comment: { type: "string" },
  version: { type: "string" },
  priority: { type: "string" },
  "idempotency-key": { type: "string" },
  level: { type: "string" },
  step: { type: "string" },
  from: { type: "string" },
  input: { type: "string" },
  "group-by": { type: "string" },
  secret: { type: "string" },
  template: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
  by: { type: "string" },
  window: { type: "string" },
  cursor: { type: "string" },
} as const;

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return value;
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, ".") : String(error));
  }
  const { values, positionals } = parsed;
  const params = (values.param ?? []).map((pair): [string, string] => {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--param takes name=value, not "${pair}".`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const [command, ...rest] = positionals;
  const args: CliArgs = {
    command,
    positionals: rest,
    params,
    json: values.json ?? false,
    watch: values.watch ?? false,
    follow: values.follow ?? false,
    help: values.help ?? false,
    archived: values.archived ?? false,
  };
  const strings = { url: values.url, token: values.token, tokenFile: values["token-file"], reason: values.reason, comment: values.comment, level: values.level, step: values.step, secret: values.secret, template: values.template, from: values.from, since: values.since, until: values.until, role: values.role, password: values.password, input: values.input, by: values.by, window: values.window, cursor: values.cursor };
  for (const [key, value] of Object.entries(strings)) if (value !== undefined) (args as unknown as Record<string, unknown>)[key] = value;
  if (values["idempotency-key"] !== undefined) args.idempotencyKey = values["idempotency-key"];
  if (values["group-by"] !== undefined) args.groupBy = values["group-by"];
  const version = integer("version", values.version, 1, Number.MAX_SAFE_INTEGER);
  if (version !== undefined) args.version = version;
  const priority = integer("priority", values.priority, -100, 100);
  if (priority !== undefined) args.priority = priority;
  return args;
}

/** The positional arguments a command needs, by name; too few or too many is a usage error. */
export function expectPositionals(args: CliArgs, names: readonly string[], usage: string): string[] {
  if (args.positionals.length !== names.length) {
    const what = args.positionals.length < names.length ? `missing ${names.slice(args.positionals.length).map((n) => `<${n}>`).join(" ")}` : `unexpected "${args.positionals[names.length]}"`;
    throw new UsageError(`${what}.\nUsage: ${usage}`);
  }
  return args.positionals;
}

/** A command with subcommands (`templates push …`): the subcommand, and the arguments after it. */
export function subcommand(args: CliArgs): { sub: string | undefined; rest: CliArgs } {
  const [sub, ...positionals] = args.positionals;
  return { sub, rest: { ...args, positionals } };
}

/** The error for a subcommand a command does not have. */
export function unknownSubcommand(command: string, sub: string, usage: string): UsageError {
  return new UsageError(`unknown ${command} command "${sub}".\nUsage: ${usage}`);
}
