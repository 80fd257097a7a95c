/**
 * `baton`, the command-line client of Baton: parses the command line, connects (`connection.ts`), runs
 * one command and exits with its code. Refusals from the API are printed with their code and the path of
 * every bad field; usage mistakes print the usage and exit 2.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { BatonError } from "#shared/baton-error.ts";
import { BatonClient } from "#shared/client/index.ts";
import { parseCliArgs, UsageError } from "./args.ts";
import { findCommand } from "./commands/index.ts";
import { resolveConnection } from "./connection.ts";
import { type CliContext, EXIT } from "./context.ts";
import { helpText } from "./help.ts";
import { type Output, paint, printJson, terminalOutput } from "./output.ts";

async function ask(question: string): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await readline.question(question);
  } finally {
    readline.close();
  }
}

function report(out: Output, error: unknown, hint: string): number {
  if (error instanceof UsageError) {
    out.error(`baton: ${error.message}\n(baton --help lists every command)\n`);
    return EXIT.usage;
  }
  if (error instanceof BatonError) {
    if (out.json) printJson({ ...out, write: out.error }, error.toBody());
    else {
      out.error(`${paint(out.color, "red", `error [${error.code}]`)} ${error.message}\n`);
      if (Array.isArray(error.details)) for (const issue of error.details) out.error(`  ${issue.path || "(body)"}: ${issue.message}\n`);
      if (error.code === "unauthorized") out.error(`  the token came from ${hint}\n`);
      if (error.status === 0) out.error("  is Baton running? `npm start` starts it locally; BATON_URL points elsewhere\n");
    }
    return EXIT.failed;
  }
  out.error(`baton: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.failed;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let out = terminalOutput(argv.includes("--json"), env);
  try {
    const args = parseCliArgs(argv);
    out = terminalOutput(args.json, env);
    if (args.help || args.command === undefined || args.command === "help") {
      out.write(helpText());
      return args.command === undefined && !args.help ? EXIT.usage : EXIT.ok;
    }
    const command = findCommand(args.command);
    if (!command) throw new UsageError(`unknown command "${args.command}".`);
    const connection = resolveConnection(args, env, process.cwd());
    if (connection.warning) out.error(`${connection.warning}\n`);
    const ctx: CliContext = {
      client: new BatonClient({ url: connection.url, ...(connection.token ? { token: connection.token } : {}) }),
      connection,
      out,
      ask: process.stdin.isTTY && out.tty && !out.json ? ask : undefined,
      readFile: (path) => readFileSync(resolve(process.cwd(), path), "utf8"),
      now: () => Date.now(),
    };
    try {
      return await command.run(ctx, args);
    } catch (error) {
      return report(out, error, connection.tokenSource);
    }
  } catch (error) {
    return report(out, error, "");
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
