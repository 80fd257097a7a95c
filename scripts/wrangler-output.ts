/**
 * Which lines of wrangler's output `npm start` shows. Wrangler talks to a developer running one Worker;
 * here it would repeat binding tables, offline fallbacks and local-dev tips on every start, and bury
 * what matters. Everything not listed below (errors, warnings, logs, requests) is shown.
 */
import { stripVTControlCharacters } from "node:util";

type NoiseRule = {
  /** The first line of a stretch of noise. */
  start: RegExp;
  /** The lines after it that belong to the same stretch. */
  continueWhile?: RegExp;
};

const noise: NoiseRule[] = [
  // The binding table (printed again on every reload), up to the blank line that ends it.
  { start: /has access to the following bindings:$/, continueWhile: /\S/ },
  { start: /^Service bindings, Durable Object bindings, and Tail consumers connect to/ },
  { start: /^Using (secrets|vars) defined in / },
  // Offline, wrangler cannot fetch the `Request.cf` sample and uses a placeholder: harmless.
  { start: /Unable to fetch the `Request\.cf` object/, continueWhile: /^(Error: getaddrinfo|\s+at )/ },
  // `npm start` prints how to run the crons by hand in its own banner.
  { start: /Scheduled Workers are not automatically triggered/, continueWhile: /^(\s*$|\s+\S)/ },
  { start: /^⎔ (Starting local server|Reloading local server|Connection status updated)/ },
  // pages dev, after building the console's Functions.
  { start: /^✨ Compiled Worker successfully$/ },
  // `npm start` says when everything is ready, with the URLs to use.
  { start: /\[wrangler:info\] Ready on / },
];

/**
 * A fresh filter for one output stream (it remembers when it is inside a stretch of noise): returns the
 * line to show, or undefined to drop it.
 */
export function wranglerLineFilter(): (line: string) => string | undefined {
  let skipping: RegExp | undefined;
  return (raw) => {
    const line = stripVTControlCharacters(raw);
    if (skipping?.test(line)) return undefined;
    skipping = undefined;
    if (line.trim() === "") return undefined;
    const rule = noise.find((candidate) => candidate.start.test(line));
    if (rule) {
      skipping = rule.continueWhile;
      return undefined;
    }
    // Request logs come with a stray leading space that breaks the column.
    return raw.replace(/^ (?=\[wrangler:)/, "");
  };
}
