/**
 * Reports served by other parts of the API (`/v1/queue`, `/v1/agents`, `/v1/usage`), shown as tables of
 * whatever they answer. A server that does not serve one yet answers 404; that is said plainly.
 */
import { BatonError } from "#shared/baton-error.ts";
import type { CliContext } from "../context.ts";
import { EXIT } from "../context.ts";
import { printJson } from "../output.ts";
import { renderJson } from "../table.ts";

export async function showReport(ctx: CliContext, path: string, load: () => Promise<unknown>): Promise<number> {
  let report: unknown;
  try {
    report = await load();
  } catch (error) {
    if (error instanceof BatonError && error.status === 404 && error.message.startsWith("No route")) {
      throw new BatonError("not_found", `This Baton server (${ctx.connection.url}) does not serve ${path} yet; it needs a newer version.`, { status: 404 });
    }
    throw error;
  }
  if (ctx.out.json) printJson(ctx.out, report);
  else ctx.out.write(`${renderJson(report)}\n`);
  return EXIT.ok;
}
