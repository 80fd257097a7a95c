/**
 * Proves the seven ebook agents make a book when chained the way the sample template chains them
 * (market-scout → strategist → illustrator → retoucher → assembler → inspector → publisher), each over its
 * service binding: every output fits the next input, the work is deterministic (same input, same output),
 * progress and logs arrive through the task's callbacks, every step reports usage with a cost, and the
 * publisher derives its listing from the idempotency key so a retried step publishes once. It does not
 * run the template through the orchestrator: the execution tests do.
 */
import { describe, expect, it } from "vitest";
import type { AgentResult } from "#shared/agent.ts";
import type { Book, Image, MarketAnalysis } from "#shared/samples/documents.ts";
import type { Strategy } from "../../workers/agents/strategist/src/index.ts";
import { agent, recorder, taskFor } from "../support/agents.ts";

async function runStep<Output>(name: Parameters<typeof agent>[0], input: unknown): Promise<AgentResult<Output>> {
  return (await agent(name).run(taskFor(input))) as AgentResult<Output>;
}

async function makeBook(theme: string, pages: number) {
  const analysis = await runStep<MarketAnalysis>("market-scout", { theme });
  const strategy = await runStep<Strategy>("strategist", { analysis: analysis.output, pages });
  const drawn = await runStep<{ images: Image[] }>("illustrator", {
    brief: strategy.output.brief,
    count: strategy.output.pageCount,
    style: strategy.output.style,
    delayMsPerImage: 0,
  });
  const retouched = await runStep<{ images: Image[] }>("retoucher", { images: drawn.output.images });
  const book = await runStep<Book>("assembler", {
    title: strategy.output.title,
    images: retouched.output.images,
  });
  return { analysis, strategy, drawn, retouched, book };
}

describe("ebook pipeline agents", () => {
  it("make a book from a theme, step by step", async () => {
    const { analysis, strategy, drawn, retouched, book } = await makeBook("deep sea creatures", 6);

    expect(analysis.output).toMatchObject({ theme: "deep sea creatures", market: "ebooks" });
    expect(analysis.output.demandScore).toBeGreaterThanOrEqual(0);
    expect(analysis.output.demandScore).toBeLessThanOrEqual(100);
    expect(analysis.output.keywords[0]).toBe("deep sea creatures");
    expect(analysis.output.brief).toContain("deep sea creatures");

    expect(["go", "no-go"]).toContain(strategy.output.decision);
    expect(strategy.output.pageCount).toBe(6);
    expect(strategy.output.title).toMatch(/Deep Sea Creatures/);

    expect(drawn.output.images.map((image) => image.id)).toEqual(["img-001", "img-002", "img-003", "img-004", "img-005", "img-006"]);
    expect(new Set(drawn.output.images.map((image) => image.seed)).size).toBe(6);
    expect(new Set(drawn.output.images.map((image) => image.svg)).size).toBe(6);
    for (const image of drawn.output.images) expect(image.svg).toMatch(/^<svg [^>]*viewBox="0 0 100 100">.*<\/svg>$/);

    for (const image of retouched.output.images) {
      expect(image).toMatchObject({ width: 1024, height: 1024, retouched: true, caption: expect.stringMatching(/^Plate \d+\. /) });
      expect(image.svg).toMatch(/^<svg [^>]*width="1024" height="1024">/);
      expect(image.svg).toContain('stroke="#fff"');
    }

    expect(book.output.title).toBe(strategy.output.title);
    expect(book.output.pageCount).toBe(6);
    expect(book.output.pages.map((page) => page.imageId)).toEqual(drawn.output.images.map((image) => image.id));
    expect(book.output.wordCount).toBeGreaterThan(6 * 10);
    expect(book.output.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);

    for (const step of [analysis, strategy, drawn, retouched, book]) {
      expect(step.usage?.costUsd).toBeGreaterThan(0);
      expect(step.usage?.outputTokens).toBeGreaterThan(0);
    }
  });

  it("make the same book from the same theme, and a different one from another theme", async () => {
    const first = await makeBook("desert birds", 4);
    const again = await makeBook("desert birds", 4);
    const other = await makeBook("arctic foxes", 4);
    expect(again).toEqual(first);
    expect(other.analysis.output.brief).not.toBe(first.analysis.output.brief);
    expect(other.book.output.checksum).not.toBe(first.book.output.checksum);
  });

  it("report progress per unit of work and log what they did", async () => {
    const scout = recorder();
    await agent("market-scout").run(taskFor({ theme: "volcanoes" }, scout.callbacks));
    expect(scout.progress.map((tick) => `${tick.current}/${tick.total}`)).toEqual(["1/3", "2/3", "3/3"]);
    expect(scout.logs).toEqual([{ level: "info", message: expect.stringContaining("volcanoes: demand") }]);

    const illustrator = recorder();
    await agent("illustrator").run(taskFor({ brief: "volcanoes", count: 5, delayMsPerImage: 0 }, illustrator.callbacks));
    expect(illustrator.progress).toEqual(
      [1, 2, 3, 4, 5].map((current) => ({ current, total: 5, message: `image ${current} of 5` })),
    );
    expect(illustrator.logs[0]?.message).toBe("drew 5 images in the default style");
  });

  it("illustrator takes delayMsPerImage for each image, so a demo is watchable", async () => {
    const started = Date.now();
    await agent("illustrator").run(taskFor({ brief: "clouds", count: 3, delayMsPerImage: 100 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("publisher gives every attempt of a step the same listing, and another step another", async () => {
    const { book } = await makeBook("paper boats", 2);
    const publish = (idempotencyKey: string, attempt: number) => {
      const record = recorder();
      const run = agent("publisher").run(taskFor({ book: book.output }, { idempotencyKey, attempt, ...record.callbacks }));
      return run.then((result) => ({ result, logs: record.logs }));
    };
    const first = await publish("exec-1/publish", 1);
    const retry = await publish("exec-1/publish", 2);
    const otherExecution = await publish("exec-2/publish", 1);

    expect(first.result.output).toMatchObject({
      listingId: expect.stringMatching(/^lst_[0-9a-f]{16}$/),
      storefront: "baton-books",
      title: book.output.title,
      status: "published",
    });
    expect(retry.result.output).toEqual(first.result.output);
    expect(otherExecution.result.output).not.toEqual(first.result.output);
    expect(first.result.usage?.costUsd).toBe(0.01);
    expect(first.logs[0]?.message).toContain(`published "${book.output.title}"`);
  });

  it("strategist says no-go when the opportunity is below the threshold", async () => {
    const analysis = { theme: "socks", demandScore: 40, competitorCount: 400 };
    const { output } = await runStep<Strategy>("strategist", { analysis });
    expect(output).toMatchObject({ decision: "no-go", opportunity: 24 });
    expect(output.reason).toContain("below the 30 needed");
    const lowered = await runStep<Strategy>("strategist", { analysis, minOpportunity: 20 });
    expect(lowered.output.decision).toBe("go");
  });
});
