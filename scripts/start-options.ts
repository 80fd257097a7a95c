/**
 * `npm start` options: flags win over environment variables, which win over the defaults
 * (`npm start -- --api-port 9000`, or `BATON_API_PORT=9000 npm start`).
 */
import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./worker-configs.ts";

export type StartOptions = {
  apiPort: number;
  consolePort: number;
  /** Absolute path of the local state (D1, Durable Objects) shared by every process. */
  stateDir: string;
  /**
   * `--private-registry`: register the Workers in a dev registry under the state directory instead of
   * wrangler's default one, so that two Baton stacks can run side by side without finding each other.
   */
  privateRegistry: boolean;
  /** How often the local crons fire (0: never, `--no-crons`); a minute, as deployed. */
  cronEveryMs: number;
  /** `--help`: print `startUsage` and stop. */
  help: boolean;
};

export const startUsage = `Usage: npm start -- [--api-port N] [--console-port N] [--state-dir DIR] [--private-registry] [--no-crons]
  --api-port          the API (default 8787, or BATON_API_PORT)
  --console-port      the console (default 8788, or BATON_CONSOLE_PORT)
  --state-dir         local D1 and Durable Object state (default .wrangler/state, or BATON_STATE_DIR)
  --private-registry  keep this stack's Workers out of wrangler's default dev registry (under the state
                      directory instead), to run a second Baton beside the first; other Workers run with
                      plain \`wrangler dev\` will not find it
  --no-crons          do not fire the crons (schedules, agent health probes, sweeps) every minute`;

/** A minute, as Cloudflare fires `* * * * *`. */
const CRON_EVERY_MS = 60_000;

export class OptionsError extends Error {
  override name = "OptionsError";
}

function port(raw: string, source: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new OptionsError(`${source} must be a port number from 1 to 65535, not "${raw}".\n${startUsage}`);
  }
  return value;
}

/** BATON_CRON_EVERY_MS is for tests that cannot wait a minute for a tick. */
function cronEvery(raw: string | undefined): number {
  if (raw === undefined || raw === "") return CRON_EVERY_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1_000) throw new OptionsError(`BATON_CRON_EVERY_MS must be a whole number of milliseconds, at least 1000, not "${raw}".`);
  return value;
}

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "api-port": { type: "string" },
        "console-port": { type: "string" },
        "state-dir": { type: "string" },
        "private-registry": { type: "boolean" },
        "no-crons": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new OptionsError(`${error instanceof Error ? error.message : String(error)}\n${startUsage}`);
  }
  const pick = (flag: string, flagValue: string | undefined, envName: string, fallback: number): number =>
    flagValue !== undefined
      ? port(flagValue, `--${flag}`)
      : env[envName]
        ? port(env[envName], envName)
        : fallback;
  const apiPort = pick("api-port", values["api-port"], "BATON_API_PORT", 8787);
  const consolePort = pick("console-port", values["console-port"], "BATON_CONSOLE_PORT", 8788);
  if (apiPort === consolePort) throw new OptionsError(`The API and the console need different ports (both are ${apiPort}).`);
  const stateDir = values["state-dir"] ?? env.BATON_STATE_DIR ?? ".wrangler/state";
  return {
    apiPort,
    consolePort,
    stateDir: isAbsolute(stateDir) ? stateDir : resolve(repoRoot, stateDir),
    privateRegistry: values["private-registry"] === true,
    cronEveryMs: values["no-crons"] === true ? 0 : cronEvery(env.BATON_CRON_EVERY_MS),
    help: values.help === true,
  };
}
