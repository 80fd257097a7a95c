/**
 * The patterns of an agent's JSON Schema, made safe before the validator sees them: each is checked for
 * catastrophic backtracking (shared/safe-pattern.ts), and rewritten so that it never runs on a string
 * longer than MAX_PATTERN_SUBJECT_LENGTH. Messages name the pattern as the agent wrote it (`unguarded`).
 */
import { checkPattern, MAX_PATTERN_SUBJECT_LENGTH } from "#shared/safe-pattern.ts";

/** Keywords whose values are data, not schemas: a `pattern` key inside them is not a pattern. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);

/**
 * Checks every `pattern` and `patternProperties` key, and rewrites each pattern P into one that first
 * refuses strings over the cap in linear time, then searches for P exactly as the unanchored original
 * would: `^(?=[\s\S]{0,N}$)[\s\S]*?(?:P)`. Group numbers, anchors and lookbehinds inside P keep their meaning.
 */
export function guardPatterns(node: unknown, path: string, problems: string[]): unknown {
  if (Array.isArray(node)) return node.map((item, i) => guardPatterns(item, `${path}/${i}`, problems));
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}/${key}`;
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (key === "pattern" && typeof value === "string") out[key] = guarded(value, at, problems);
    else if (key === "patternProperties" && typeof value === "object" && value !== null && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([source, sub]) => [guarded(source, at, problems), guardPatterns(sub, `${at}/${source}`, problems)]),
      );
    } else out[key] = guardPatterns(value, at, problems);
  }
  return out;
}

const GUARD_PREFIX = `^(?=[\\s\\S]{0,${MAX_PATTERN_SUBJECT_LENGTH}}$)[\\s\\S]*?(?:`;

function guarded(source: string, at: string, problems: string[]): string {
  const check = checkPattern(source);
  if (!check.ok) problems.push(`the pattern ${source} at ${at || "/"} ${check.problem}`);
  return `${GUARD_PREFIX}${source})`;
}

/** The pattern as the agent wrote it, from the guarded form the validator saw. */
export function unguarded(source: string): string {
  return source.startsWith(GUARD_PREFIX) ? source.slice(GUARD_PREFIX.length, -1) : source;
}
