/**
 * Terminal width for the live display: a line wider than the terminal wraps onto a second row, and a
 * redraw that moves up by lines then leaves copies behind. So every line is cut to fit one row, counting
 * what the terminal counts: columns (wide characters take two, colour codes none), not characters.
 */
import stringWidth from "string-width";

// A colour escape (`\x1b[…m`) or another CSI sequence; they take no room.
const escape = /\x1b\[[0-9;?]*[ -/]*[@-~]/y;
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The columns a line takes on a terminal. */
export function visibleWidth(line: string): number {
  return stringWidth(line);
}

/** Text from outside (messages, agent output) as one printable line: control characters become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/**
 * The line cut to at most `columns` columns, ending in "…" when cut; colour codes are kept (and reset
 * after a cut, so the colour does not run on).
 */
export function fitLine(line: string, columns: number): string {
  if (visibleWidth(line) <= columns) return line;
  const room = Math.max(0, columns - 1);
  let out = "";
  let used = 0;
  let i = 0;
  while (i < line.length) {
    escape.lastIndex = i;
    const code = escape.exec(line);
    if (code) {
      out += code[0];
      i += code[0].length;
      continue;
    }
    const next = line.indexOf("\x1b", i + 1);
    const text = line.slice(i, next === -1 ? line.length : next);
    for (const { segment } of graphemes.segment(text)) {
      const width = stringWidth(segment);
      if (used + width > room) return `${out}${out.includes("\x1b") ? "\x1b[0m" : ""}…`;
      out += segment;
      used += width;
    }
    i += text.length;
  }
  return out;
}

/** How many rows a line of `width` columns takes on a terminal `columns` wide (an empty line takes one). */
export function rowsOf(width: number, columns: number): number {
  return Math.max(1, Math.ceil(width / Math.max(1, columns)));
}
