/**
 * `baton users …`: the console's people. List them, add one with a role (the password, given or
 * generated, is printed once), change a role, disable and re-enable, reset a password (printed once).
 * Users are named by email.
 */
import { UsageError } from "../args.ts";
import type { Command, CliContext } from "../context.ts";
import { EXIT } from "../context.ts";
import { printJson } from "../output.ts";
import { renderTable } from "../table.ts";
import type { ConsoleUser, UserWithPassword } from "#shared/api/users.ts";

const roles = ["admin", "viewer"] as const;
type Role = (typeof roles)[number];

const usage =
  "baton users [list] | users add EMAIL --role admin|viewer [--password P] | users role EMAIL admin|viewer | users disable EMAIL | users enable EMAIL | users reset-password EMAIL [--password P]";

function role(value: string | undefined): Role {
  if (!roles.includes(value as Role)) throw new UsageError(`the role must be admin or viewer, not "${value ?? ""}".\nUsage: ${usage}`);
  return value as Role;
}

function email(positionals: string[], action: string): string {
  const [address, ...rest] = positionals;
  if (!address || rest.length > 0) throw new UsageError(`users ${action} takes one email.\nUsage: ${usage}`);
  return address;
}

function showUsers(ctx: CliContext, users: ConsoleUser[]): number {
  if (ctx.out.json) printJson(ctx.out, { users });
  else {
    const when = (at: number | null) => (at === null ? "" : new Date(at).toISOString().slice(0, 16).replace("T", " "));
    ctx.out.write(
      `${renderTable(users, [
        { header: "EMAIL", value: (u) => u.email },
        { header: "ROLE", value: (u) => u.role },
        { header: "STATUS", value: (u) => (u.disabledAt === null ? "enabled" : `disabled ${when(u.disabledAt)}`) },
        { header: "CREATED", value: (u) => when(u.createdAt) },
      ])}\n`,
    );
  }
  return EXIT.ok;
}

function showPassword(ctx: CliContext, result: UserWithPassword, what: string): number {
  if (ctx.out.json) printJson(ctx.out, result);
  else ctx.out.write(`${what} ${result.user.email} (${result.user.role}).\nPassword (shown this once): ${result.password}\n`);
  return EXIT.ok;
}

function showUser(ctx: CliContext, user: ConsoleUser, what: string): number {
  if (ctx.out.json) printJson(ctx.out, user);
  else ctx.out.write(`${user.email} ${what}.\n`);
  return EXIT.ok;
}

export const usersCommand: Command = {
  names: ["users"],
  usage,
  summary: "manage console users: add, change role, disable, enable, reset a password",
  async run(ctx, args) {
    const [action = "list", ...rest] = args.positionals;
    const users = ctx.client.users;
    switch (action) {
      case "list":
        if (rest.length > 0) throw new UsageError(`users list takes nothing more.\nUsage: ${usage}`);
        return showUsers(ctx, await users.list());
      case "add": {
        const result = await users.create({ email: email(rest, action), role: role(args.role), ...(args.password ? { password: args.password } : {}) });
        return showPassword(ctx, result, "Added");
      }
      case "role": {
        const [address, newRole, ...more] = rest;
        if (!address || more.length > 0) throw new UsageError(`users role takes an email and a role.\nUsage: ${usage}`);
        return showUser(ctx, await users.update(address, { role: role(newRole) }), `is now ${newRole}`);
      }
      case "disable":
        return showUser(ctx, await users.disable(email(rest, action)), "is disabled; their sessions have ended");
      case "enable":
        return showUser(ctx, await users.enable(email(rest, action)), "is enabled");
      case "reset-password":
        return showPassword(ctx, await users.resetPassword(email(rest, action), args.password), "New password for");
      default:
        throw new UsageError(`unknown users action "${action}".\nUsage: ${usage}`);
    }
  },
};
