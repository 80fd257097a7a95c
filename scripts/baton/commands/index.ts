/** Every command of `baton`, in the order `baton --help` lists them. */
import type { Command } from "../context.ts";
import { agentsCommand } from "./agents.ts";
import { controlCommands } from "./control.ts";
import { decideCommands } from "./decide.ts";
import { insightsCommand } from "./insights.ts";
import { forkCommand } from "./fork.ts";
import { logsCommand } from "./logs.ts";
import { queueCommand } from "./queue.ts";
import { runCommand } from "./run.ts";
import { statsCommand } from "./stats.ts";
import { statusCommand } from "./status.ts";
import { templatesCommand } from "./templates.ts";
import { triggersCommand } from "./triggers.ts";
import { usageCommand } from "./usage.ts";
import { usersCommand } from "./users.ts";

export const commands: readonly Command[] = [
  templatesCommand,
  runCommand,
  forkCommand,
  statusCommand,
  logsCommand,
  ...controlCommands,
  ...decideCommands,
  queueCommand,
  agentsCommand,
  usageCommand,
  statsCommand,
  usersCommand,
  insightsCommand,
  triggersCommand,
];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.names.includes(name));
}
