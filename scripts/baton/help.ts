/** `baton --help`: every command, where the CLI finds Baton, and what the exit codes mean. */
import { commands } from "./commands/index.ts";
import { DEFAULT_URL } from "./connection.ts";

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.names[0]!.length));
  return [
    "baton: run and watch Baton pipelines from the terminal",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.names[0]!.padEnd(width)}  ${c.summary}`),
    "",
    "Usage:",
    ...commands.map((c) => `  ${c.usage}`),
    "",
    "Options for every command:",
    `  --url URL      the API (default BATON_URL, else ${DEFAULT_URL})`,
    "  --token-file PATH  read the API token from a file (or set BATON_TOKEN_FILE)",
    "  --token TOKEN  an API token; prefer BATON_TOKEN or a file: a flag shows in `ps` and shell history",
    "                 (without any: BATON_TOKEN, BATON_TOKEN_FILE, else API_TOKEN from .dev.vars)",
    "  --json         machine-readable output",
    "  -h, --help     this help",
    "",
    "Exit codes: 0 done (an execution completed), 1 failed, 2 usage error, 3 cancelled.",
    "",
  ].join("\n");
}
