/**
 * JSON parsing that remembers where every value sits in the text, so that a validation problem named by
 * its path (`steps.2.needs.0`) can be shown at its line, and a syntax error at its character.
 */

export interface JsonSpan {
  /** Offset of the value's first character. */
  start: number;
  /** Offset just after the value. */
  end: number;
  /** Offset of the property name, for values inside objects. */
  keyStart?: number;
}

export type LocatedJson =
  | { ok: true; value: unknown; spans: Map<string, JsonSpan> }
  | { ok: false; message: string; offset: number };

class SyntaxProblem {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

export function parseJsonLocated(text: string): LocatedJson {
  const spans = new Map<string, JsonSpan>();
  let at = 0;

  const fail = (message: string, offset = at): never => {
    throw new SyntaxProblem(message, offset);
  };
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const describe = (offset: number) => (offset >= text.length ? "the end of the text" : `"${text[offset]}"`);

  function parseString(): string {
    const start = at;
    at++;
    while (at < text.length) {
      const ch = text[at];
      if (ch === "\\") at += 2;
      else if (ch === '"') {
        at++;
        try {
          return JSON.parse(text.slice(start, at)) as string;
        } catch {
          return fail("This string has a bad escape or a line break in it.", start);
        }
      } else if (ch === "\n") return fail("This string is not closed: add a \" before the line ends.", start);
      else at++;
    }
    return fail("This string is not closed: add a \".", start);
  }

  function parseValue(path: string, keyStart?: number): unknown {
    skipSpace();
    const start = at;
    const ch = text[at];
    let value: unknown;
    if (ch === "{") {
      at++;
      const object: Record<string, unknown> = {};
      skipSpace();
      if (text[at] === "}") at++;
      else {
        for (;;) {
          skipSpace();
          if (text[at] !== '"') fail(`Expected a property name in double quotes, found ${describe(at)}.`);
          const nameStart = at;
          const name = parseString();
          skipSpace();
          if (text[at] !== ":") fail(`Expected ":" after "${name}", found ${describe(at)}.`);
          at++;
          object[name] = parseValue(path === "" ? name : `${path}.${name}`, nameStart);
          skipSpace();
          if (text[at] === ",") {
            at++;
            skipSpace();
            if (text[at] === "}") fail("Remove this trailing comma: JSON allows none before }.", at - 1);
            continue;
          }
          if (text[at] === "}") {
            at++;
            break;
          }
          fail(`Expected "," or "}" after the value of "${name}", found ${describe(at)}.`);
        }
      }
      value = object;
    } else if (ch === "[") {
      at++;
      const array: unknown[] = [];
      skipSpace();
      if (text[at] === "]") at++;
      else {
        for (;;) {
          array.push(parseValue(path === "" ? String(array.length) : `${path}.${array.length}`));
          skipSpace();
          if (text[at] === ",") {
            at++;
            skipSpace();
            if (text[at] === "]") fail("Remove this trailing comma: JSON allows none before ].", at - 1);
            continue;
          }
          if (text[at] === "]") {
            at++;
            break;
          }
          fail(`Expected "," or "]" in this list, found ${describe(at)}.`);
        }
      }
      value = array;
    } else if (ch === '"') {
      value = parseString();
    } else {
      const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 400));
      if (!literal) return fail(`Expected a value (a string, number, object, list, true, false or null), found ${describe(at)}.`);
      at += literal[0].length;
      value = JSON.parse(literal[0]);
    }
    spans.set(path, { start, end: at, ...(keyStart !== undefined ? { keyStart } : {}) });
    return value;
  }

  try {
    const value = parseValue("");
    skipSpace();
    if (at < text.length) fail(`Unexpected ${describe(at)} after the end of the JSON.`);
    return { ok: true, value, spans };
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

/**
 * Where a problem at `path` should be shown: the value at that path, or (for a property that is missing)
 * the nearest enclosing value that exists.
 */
export function spanOfPath(spans: Map<string, JsonSpan>, path: string): { span: JsonSpan; exact: boolean } | undefined {
  let current = path;
  let exact = true;
  for (;;) {
    const span = spans.get(current);
    if (span) return { span, exact };
    if (current === "") return undefined;
    const dot = current.lastIndexOf(".");
    current = dot === -1 ? "" : current.slice(0, dot);
    exact = false;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
