/**
 * Proves the pieces `baton run --watch` redraws with, without a terminal: lines are cut by the columns a
 * terminal gives them (wide characters count two, colour codes none, colours are reset after a cut);
 * each redraw moves up by the rows the last drawing takes at the terminal's width now (more after the
 * terminal got narrower and reflowed it); a block taller than the screen is cut; a streaming step shows
 * its last line. The real terminal is test/cli/watch-terminal.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { ExecutionEvent } from "#shared/execution.ts";
import { fitLine, visibleWidth } from "../../scripts/baton/fit.ts";
import { liveBlock } from "../../scripts/baton/live-block.ts";
import { applyStreamEvent, lastLines, type StreamTexts } from "../../scripts/baton/stream-tail.ts";

describe("fitLine", () => {
  it("leaves a line that fits, and cuts one that does not with an ellipsis", () => {
    expect(fitLine("short", 10)).toBe("short");
    expect(fitLine("0123456789abc", 10)).toBe("012345678…");
    expect(visibleWidth(fitLine("x".repeat(300), 79))).toBe(79);
  });

  it("counts wide characters as two columns and colour codes as none", () => {
    const wide = fitLine("出版しますか？出版しますか？", 9);
    expect(wide).toBe("出版しま…");
    expect(visibleWidth(wide)).toBe(9);
    const colored = `\x1b[36m${"y".repeat(20)}\x1b[0m tail`;
    expect(fitLine(colored, 30)).toBe(colored);
    expect(fitLine(colored, 10)).toBe(`\x1b[36m${"y".repeat(9)}\x1b[0m…`);
  });
});

describe("liveBlock", () => {
  const draws = (sizes: { columns: number; rows: number }[], lines: string[][]) => {
    const out: string[] = [];
    const block = liveBlock((text) => out.push(text));
    sizes.forEach((size, i) => block.draw(lines[i]!, size));
    return out;
  };

  it("moves up by the rows drawn last, each line fitting one row", () => {
    const long = "z".repeat(200);
    const out = draws(
      [
        { columns: 80, rows: 24 },
        { columns: 80, rows: 24 },
      ],
      [
        ["header", long, "step"],
        ["header", long, "step"],
      ],
    );
    expect(out[0]).toBe(`header\n${"z".repeat(78)}…\nstep\n`);
    expect(out[1]!.startsWith("\x1b[3F\x1b[J")).toBe(true);
  });

  it("after the terminal got narrower, moves up over the rows the old lines were reflowed into", () => {
    const out = draws(
      [
        { columns: 120, rows: 24 },
        { columns: 40, rows: 24 },
      ],
      [
        ["h", "w".repeat(119)],
        ["h", "w".repeat(119)],
      ],
    );
    // The 119-column line (cut to 119) now takes 3 rows of 40, the header 1.
    expect(out[1]!.startsWith("\x1b[4F\x1b[J")).toBe(true);
  });

  it("cuts a block taller than the screen, saying how many lines are hidden", () => {
    const [first] = draws([{ columns: 80, rows: 5 }], [["h", "1", "2", "3", "4", "5", "6"]]);
    expect(first).toBe("h\n1\n2\n  … 4 more lines (a taller terminal shows them)\n");
  });
});

describe("stream tails", () => {
  const chunk = (seq: number, stepId: string, text: unknown, type = "step.stream"): ExecutionEvent =>
    ({ seq, type, executionId: "ex_1", at: seq, data: { stepId, attempt: 1, chunk: text, index: seq } }) as ExecutionEvent;

  it("keeps the last line written so far per step, across chunks, and forgets it on a new attempt", () => {
    let texts: StreamTexts = new Map();
    for (const [i, text] of ["Once upon", " a time\nthere was", " a dragon\n", "\n"].entries()) texts = applyStreamEvent(texts, chunk(i + 1, "write", text));
    texts = applyStreamEvent(texts, chunk(9, "other", { tokens: 3 }));
    expect(lastLines(texts)).toEqual(new Map([["write", "there was a dragon"], ["other", '{"tokens":3}']]));
    texts = applyStreamEvent(texts, chunk(10, "write", null, "step.retrying"));
    expect(lastLines(texts).has("write")).toBe(false);
  });
});
