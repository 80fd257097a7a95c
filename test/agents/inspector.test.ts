/**
 * Proves the inspector finds what is wrong with a book or an article and scores it, instead of failing:
 * a book changed after assembly (checksum), a page count that lies, banned words and length rules each
 * show up as an issue with the path of the problem, and the step fails (NonRetryableError) only when
 * the input is neither a book nor an article.
 */
import { describe, expect, it } from "vitest";
import type { AgentResult } from "#shared/agent.ts";
import type { Article, Book } from "#shared/samples/documents.ts";
import type { Inspection } from "../../workers/agents/inspector/src/index.ts";
import { agent, recorder, taskFor } from "../support/agents.ts";

const inspector = agent("inspector");

const article: Article = {
  title: "Tides",
  topic: "tides",
  sections: [{ heading: "Why", body: "The moon pulls the sea." }],
  text: "# Tides\n\n## Why\n\nThe moon pulls the sea.",
  wordCount: 7,
};

async function inspect(input: unknown): Promise<Inspection> {
  return ((await inspector.run(taskFor(input))) as AgentResult<Inspection>).output;
}

async function assembledBook(): Promise<Book> {
  const images = [{ id: "img-001", caption: "Plate 1. A lighthouse." }, { id: "img-002", caption: "Plate 2. A storm." }];
  const result = await agent("assembler").run(taskFor({ title: "Lighthouse Keepers", images, pages: 4 }));
  return result.output as Book;
}

describe("inspector", () => {
  it("passes an untouched book with a perfect score", async () => {
    expect(await inspect({ book: await assembledBook() })).toEqual({ kind: "book", passed: true, score: 100, issues: [] });
  });

  it("fails a book whose pages changed after assembly", async () => {
    const book = await assembledBook();
    const pages = book.pages.map((page, index) => (index === 2 ? { ...page, text: `${page.text} Extra.` } : page));
    const result = await inspect({ book: { ...book, pages } });
    expect(result.passed).toBe(false);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: "checksum", rule: "checksum", severity: "error" }));
  });

  it("names the page count that lies, the banned word and the broken length rule", async () => {
    const book = await assembledBook();
    const record = recorder();
    const input = { book: { ...book, pageCount: 5 }, rules: { maxPages: 3, bannedWords: ["storm"] } };
    const result = ((await inspector.run(taskFor(input, record.callbacks))) as AgentResult<Inspection>).output;
    expect(result.issues.map((issue) => `${issue.rule} at ${issue.path}`)).toEqual([
      "page-count at pageCount",
      "max-pages at pages",
      "banned-word at pages.1.text",
    ]);
    expect(result).toMatchObject({ passed: false, score: 25 });
    expect(record.logs).toEqual([{ level: "warn", message: expect.stringContaining("failed with score 25") }]);
  });

  it("warns about an article whose word count is wrong, without failing it", async () => {
    const result = await inspect({ article: { ...article, wordCount: 99 } });
    expect(result).toMatchObject({ kind: "article", passed: true, score: 95 });
    expect(result.issues).toEqual([expect.objectContaining({ path: "wordCount", rule: "word-count", severity: "warning" })]);
  });

  it("fails the step only when the input is not a book or an article", async () => {
    await expect(inspector.run(taskFor({ book: { title: "No pages" } }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("input.book.pages"),
    });
    const book = await assembledBook();
    await expect(inspector.run(taskFor({ book, article }))).rejects.toMatchObject({
      name: "NonRetryableError",
      message: expect.stringContaining("exactly one of input.book and input.article"),
    });
  });
});
