/**
 * wrangler's dev registry, where every local `wrangler dev` announces its Workers by name and finds the
 * others'. `npm start` uses the default one so that anyone's Worker finds Baton; two Batons there would
 * both be "orchestrator", and each console and caller could reach either. So before starting, look for a
 * live "orchestrator" in it. The location follows wrangler 4 (miniflare's `resolveDevRegistryPath`);
 * were it ever to move, this check finds nothing and changes nothing.
 */
import { existsSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** A Worker refreshes its entry while it runs; wrangler treats one older than this as gone. */
const STALE_MS = 90_000;

export function devRegistryPath(env: NodeJS.ProcessEnv): string {
  if (env.CLOUDFLARE_DEV_REGISTRY_PATH) return env.CLOUDFLARE_DEV_REGISTRY_PATH;
  if (env.WRANGLER_REGISTRY_PATH) return env.WRANGLER_REGISTRY_PATH;
  const home = env.HOME ?? homedir();
  const legacy = join(home, ".wrangler");
  const config = existsSync(legacy) ? legacy : join(env.XDG_CONFIG_HOME || join(home, ".config"), ".wrangler");
  return join(config, "registry");
}

/** Whether a running `wrangler dev` has registered a Worker called `name` there. */
export function isRegistered(registryPath: string, name: string, now = Date.now()): boolean {
  const entry = statSync(join(registryPath, name), { throwIfNoEntry: false });
  return entry !== undefined && entry.mtimeMs >= now - STALE_MS;
}
