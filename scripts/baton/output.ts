/**
 * How the CLI writes: to a terminal (colors, tables, a live display redrawn in place), to a pipe (plain
 * lines, no escape codes), or as JSON for scripts (`--json`). Commands write through this, never to
 * `process.stdout` directly, so tests can capture what a command printed.
 */

export interface Output {
  /** `--json`: machine-readable only. */
  json: boolean;
  /** A terminal: live redraws and prompts are possible. */
  tty: boolean;
  color: boolean;
  /** The terminal's size now (80 × 24 when not a terminal); it changes when the terminal is resized. */
  size(): TerminalSize;
  /** Calls `listener` after each resize of the terminal; returns what stops that. */
  onResize(listener: () => void): () => void;
  write(text: string): void;
  error(text: string): void;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function terminalOutput(json: boolean, env: NodeJS.ProcessEnv = process.env): Output {
  const tty = process.stdout.isTTY === true;
  return {
    json,
    tty,
    color: tty && !json && env.NO_COLOR === undefined && env.TERM !== "dumb",
    size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
    onResize: (listener) => {
      process.stdout.on("resize", listener);
      return () => void process.stdout.off("resize", listener);
    },
    write: (text) => void process.stdout.write(text),
    error: (text) => void process.stderr.write(text),
  };
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1, dim: 2 } as const;
export type Color = keyof typeof codes;

/** `text` in `color` when colors are on; unchanged otherwise. */
export function paint(color: boolean, tint: Color, text: string): string {
  return color ? `\x1b[${codes[tint]}m${text}\x1b[0m` : text;
}

/** Prints a value as JSON, one document per call (with a newline, so output can be split into lines). */
export function printJson(out: Output, value: unknown, pretty = true): void {
  out.write(`${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`);
}
