/** Reading a JSON (or YAML, when its name says so) file named on the command line, with errors that say which file and why. */
import { parse as parseYaml } from "yaml";
import { UsageError } from "./args.ts";
import type { CliContext } from "./context.ts";

export function readDataFile(ctx: CliContext, path: string): unknown {
  let text: string;
  try {
    text = ctx.readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const yaml = /\.ya?ml$/i.test(path);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid ${yaml ? "YAML" : "JSON"}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
