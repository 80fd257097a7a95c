/**
 * The inspector's checks, as plain functions from a document and the rules to the issues found. Each
 * issue names where it is (`pages.3.text`), which rule it breaks and what is wrong.
 */
import { z } from "zod";
import { bookChecksum, countWords, type Article, type Book } from "#shared/samples/documents.ts";

export const rulesSchema = z.object({
  minPages: z.int().min(0).optional(),
  maxPages: z.int().min(0).optional(),
  minWords: z.int().min(0).optional(),
  maxWords: z.int().min(0).optional(),
  bannedWords: z
    .array(z.string().min(1))
    .default(["lorem", "ipsum", "TODO"])
    .describe("Matched as whole words, in any case"),
  minScore: z.int().min(0).max(100).default(70).describe("Score needed to pass, when there is no error"),
});
export type Rules = z.infer<typeof rulesSchema>;

export const issueSchema = z.object({
  path: z.string().describe("Where in the document, e.g. pages.3.text"),
  rule: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
});
export type Issue = z.infer<typeof issueSchema>;

export async function inspectBook(book: Book, rules: Rules): Promise<Issue[]> {
  const issues: Issue[] = [];
  if (!book.title.trim()) issues.push(error("title", "title", "the book has no title"));
  if (book.pageCount !== book.pages.length) {
    issues.push(error("pageCount", "page-count", `pageCount is ${book.pageCount} but there are ${book.pages.length} pages`));
  }
  book.pages.forEach((page, index) => {
    const path = `pages.${index}`;
    if (page.number !== index + 1) {
      issues.push(error(`${path}.number`, "page-order", `page ${index + 1} is numbered ${page.number}`));
    }
    if (!page.text.trim()) issues.push(error(`${path}.text`, "page-text", `page ${index + 1} has no text`));
    if (!page.imageId) issues.push(warning(`${path}.imageId`, "page-image", `page ${index + 1} has no image`));
  });
  const words = book.pages.reduce((sum, page) => sum + countWords(page.text), 0);
  if (words !== book.wordCount) {
    issues.push(warning("wordCount", "word-count", `wordCount is ${book.wordCount} but the pages have ${words} words`));
  }
  if ((await bookChecksum(book)) !== book.checksum) {
    const message = "the checksum does not match the title and pages: the book changed after assembly";
    issues.push(error("checksum", "checksum", message));
  }
  issues.push(...bounds("pages", "pages", book.pages.length, rules.minPages, rules.maxPages));
  issues.push(...bounds("pages", "words", words, rules.minWords, rules.maxWords));
  const texts = book.pages.map((page, index): [string, string] => [`pages.${index}.text`, page.text]);
  issues.push(...bannedWords([["title", book.title], ...texts], rules.bannedWords));
  return issues;
}

export function inspectArticle(article: Article, rules: Rules): Issue[] {
  const issues: Issue[] = [];
  if (!article.title.trim()) issues.push(error("title", "title", "the article has no title"));
  if (article.sections.length === 0) issues.push(error("sections", "sections", "the article has no sections"));
  const headings = new Set<string>();
  article.sections.forEach((section, index) => {
    const path = `sections.${index}`;
    if (!section.body.trim()) issues.push(error(`${path}.body`, "section-body", `section ${index + 1} is empty`));
    const heading = section.heading.trim().toLowerCase();
    if (!heading) issues.push(warning(`${path}.heading`, "section-heading", `section ${index + 1} has no heading`));
    else if (headings.has(heading)) {
      issues.push(warning(`${path}.heading`, "section-heading", `heading "${section.heading}" appears twice`));
    }
    headings.add(heading);
  });
  const words = countWords(article.text);
  if (words !== article.wordCount) {
    issues.push(warning("wordCount", "word-count", `wordCount is ${article.wordCount} but the text has ${words} words`));
  }
  issues.push(...bounds("text", "words", words, rules.minWords, rules.maxWords));
  issues.push(...bannedWords([["title", article.title], ["text", article.text]], rules.bannedWords));
  return issues;
}

function bounds(path: string, unit: string, actual: number, min: number | undefined, max: number | undefined): Issue[] {
  if (min !== undefined && actual < min) return [error(path, `min-${unit}`, `${actual} ${unit}, fewer than the ${min} required`)];
  if (max !== undefined && actual > max) return [error(path, `max-${unit}`, `${actual} ${unit}, more than the ${max} allowed`)];
  return [];
}

function bannedWords(texts: Array<[path: string, text: string]>, banned: string[]): Issue[] {
  const issues: Issue[] = [];
  for (const word of banned) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "iu");
    const hit = texts.find(([, text]) => pattern.test(text));
    if (hit) issues.push(error(hit[0], "banned-word", `contains the banned word "${word}"`));
  }
  return issues;
}

function error(path: string, rule: string, message: string): Issue {
  return { path, rule, severity: "error", message };
}

function warning(path: string, rule: string, message: string): Issue {
  return { path, rule, severity: "warning", message };
}
