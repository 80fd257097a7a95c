/**
 * Redraws a block of lines in place on a terminal: moves the cursor up over the last drawing, clears to
 * the end of the screen, draws again. Moving up works only by rows the terminal shows, so each line is
 * cut to fit one row (one column is left free: some terminals wrap on the last one), and a block taller
 * than the screen is cut too (rows scrolled off the top can no longer be redrawn). When the terminal
 * gets narrower it reflows the old drawing, so an old line may now take several rows; the next redraw
 * moves up over all of them.
 */
import { fitLine, rowsOf, visibleWidth } from "./fit.ts";
import type { TerminalSize } from "./output.ts";

export interface LiveBlock {
  /** Draws `lines` over the previous drawing, for the terminal's size now. */
  draw(lines: string[], size: TerminalSize): void;
}

/** The lines that fit on a screen of `rows`, leaving one row for the cursor; the rest is counted. */
export function fitRows(lines: string[], rows: number): string[] {
  const room = Math.max(2, rows - 1);
  if (lines.length <= room) return lines;
  return [...lines.slice(0, room - 1), `  … ${lines.length - room + 1} more lines (a taller terminal shows them)`];
}

export function liveBlock(write: (text: string) => void): LiveBlock {
  /** The visible widths of the lines last drawn, to count their rows at any width. */
  let drawn: number[] = [];
  return {
    draw(lines, { columns, rows }) {
      const fitted = fitRows(lines, rows).map((line) => fitLine(line, Math.max(1, columns - 1)));
      const up = drawn.reduce((sum, width) => sum + rowsOf(width, columns), 0);
      write(`${up > 0 ? `\x1b[${up}F\x1b[J` : ""}${fitted.join("\n")}\n`);
      drawn = fitted.map(visibleWidth);
    },
  };
}
