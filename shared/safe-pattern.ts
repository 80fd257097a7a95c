/**
 * Regular expressions that user input reaches (a template param's `pattern`, the `pattern` and
 * `patternProperties` of an agent's published JSON Schema) run inside the API Worker and inside
 * executions. JavaScript's backtracking engine takes exponential time on a pattern whose unbounded
 * quantifiers nest (`^(a+)+$`, star height two), so such a pattern could hang the Worker with a short
 * value. They are refused where they are declared, and no pattern ever runs on a string longer than
 * MAX_PATTERN_SUBJECT_LENGTH.
 *
 * The pattern is parsed by @eslint-community/regexpp (the ECMAScript parser ESLint relies on; it knows
 * the `u` flag, named groups and lookbehind exactly as V8 does) and its star height is counted here:
 * only quantifiers without an upper bound (or with a bound above LARGE_BOUND) count, so the common
 * `^(\d{3}-)?\d{4}$` stays allowed. Ambiguous alternation under one star (`(a|a)*`) is not caught by
 * star height; the length cap bounds what it can cost (docs/security.md).
 */
import { RegExpParser, visitRegExpAST } from "@eslint-community/regexpp";
import type { AST } from "@eslint-community/regexpp";

/** Longest string a pattern is run on; a longer one is refused without running the pattern. */
export const MAX_PATTERN_SUBJECT_LENGTH = 4096;
/** A bounded quantifier with an upper bound above this repeats like an unbounded one. */
const LARGE_BOUND = 100;

export type PatternCheck = { ok: true; regex: RegExp } | { ok: false; problem: string };

const parser = new RegExpParser({ ecmaVersion: 2025 });
const checked = new Map<string, PatternCheck>();

/** Compiles `source` (Unicode mode) when it is valid and safe; says why not otherwise. Cached per source. */
export function checkPattern(source: string): PatternCheck {
  let result = checked.get(source);
  if (result === undefined) {
    result = check(source);
    if (checked.size > 1000) checked.clear();
    checked.set(source, result);
  }
  return result;
}

function check(source: string): PatternCheck {
  let regex: RegExp;
  let pattern: AST.Pattern;
  try {
    regex = new RegExp(source, "u");
    pattern = parser.parsePattern(source, 0, source.length, { unicode: true });
  } catch (error) {
    return { ok: false, problem: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})` };
  }
  if (starHeight(pattern) > 1) {
    return {
      ok: false,
      problem:
        "nests one unbounded repetition inside another (like (a+)+ or (a*)*), which can take exponential time on a short value; rewrite it without the outer repetition",
    };
  }
  return { ok: true, regex };
}

/** The deepest nesting of unbounded quantifiers in the pattern. */
function starHeight(pattern: AST.Pattern): number {
  let depth = 0;
  let deepest = 0;
  const unbounded = (node: AST.Quantifier) => node.max === Number.POSITIVE_INFINITY || node.max > LARGE_BOUND;
  visitRegExpAST(pattern, {
    onQuantifierEnter(node) {
      if (!unbounded(node)) return;
      depth++;
      deepest = Math.max(deepest, depth);
    },
    onQuantifierLeave(node) {
      if (unbounded(node)) depth--;
    },
  });
  return deepest;
}

export type PatternTest = "match" | "no-match" | "too-long";

/** Runs a checked pattern on `value`, refusing values longer than MAX_PATTERN_SUBJECT_LENGTH unrun. */
export function testPattern(regex: RegExp, value: string): PatternTest {
  if (value.length > MAX_PATTERN_SUBJECT_LENGTH) return "too-long";
  regex.lastIndex = 0;
  return regex.test(value) ? "match" : "no-match";
}
