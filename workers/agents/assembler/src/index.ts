/**
 * assembler: lays a book out from its title and its images: one page per image (cycling when there are
 * more pages than images), each with the image, its caption and a few sentences spun from the caption
 * and the title, then counts the words and seals the content with a sha256 checksum the inspector checks.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import {
  bookChecksum,
  bookSchema,
  countWords,
  type Book,
  type BookPage,
} from "#shared/samples/documents.ts";
import { seededRandom } from "#shared/samples/seeded.ts";

const inputSchema = z.object({
  title: nonEmptyString(200),
  subtitle: z.string().trim().max(300).optional(),
  author: z.string().trim().min(1).max(200).default("Baton Studio"),
  images: z
    .array(z.object({ id: nonEmptyString(100), caption: z.string().optional() }))
    .min(1)
    .max(1000)
    .describe("The retoucher's (or illustrator's) images; only id and caption are used"),
  pages: z.int().min(1).max(1000).optional().describe("Page count; one page per image when absent"),
});

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0005, outputPer1kTokensUsd: 0.002 };

const LINES = [
  (subject: string) => `Everything on this page begins with ${subject}.`,
  (subject: string) => `Look closely and you will find ${subject} hiding in plain sight.`,
  (subject: string) => `Nobody expected ${subject} to matter this much.`,
  (subject: string) => `Here the story of ${subject} takes another turn.`,
  (subject: string) => `Count the colors of ${subject} before you turn the page.`,
  (subject: string) => `Ask a friend what ${subject} means to them.`,
] as const;

export default defineAgent({
  name: "assembler",
  version: "1.0.0",
  description: "Assembles title, images and text into a book with page count, word count and a sha256 checksum.",
  input: inputSchema,
  output: bookSchema,
  pricing,
  async run(input, _task, report) {
    const pageCount = input.pages ?? input.images.length;
    const titleSubjects = subjectsOfTitle(input.title);
    const pages: BookPage[] = [];
    for (let number = 1; number <= pageCount; number++) {
      const image = input.images[(number - 1) % input.images.length]!;
      const random = seededRandom(`${input.title}|${number}`);
      const subjects = [...subjectOfCaption(image.caption), ...titleSubjects];
      const lines = random.sample(LINES, random.int(2, 3)).map((line) => line(random.pick(subjects)));
      const text = [image.caption, ...lines].filter((line) => line !== undefined).join(" ");
      pages.push({ number, imageId: image.id, caption: image.caption, text });
      await report.progress(number, pageCount, `page ${number} of ${pageCount}`);
    }
    const book: Book = {
      title: input.title,
      subtitle: input.subtitle,
      author: input.author,
      pageCount,
      wordCount: pages.reduce((sum, page) => sum + countWords(page.text), 0),
      pages,
      checksum: await bookChecksum({ title: input.title, pages }),
    };
    const sealed = `${book.checksum.slice(0, 19)}…`;
    await report.log("info", `assembled "${book.title}": ${pageCount} pages, ${book.wordCount} words, ${sealed}`);
    const inputTokens = estimateTokens(JSON.stringify(input));
    return { output: book, usage: usageFor(pricing, inputTokens, estimateTokens(JSON.stringify(pages))) };
  },
});

/** "Deep Sea Creatures: A Picture Journey" → ["the creatures", "the picture", "the journey"]. */
function subjectsOfTitle(title: string): string[] {
  const words = new Set(title.toLowerCase().match(/\p{L}{5,}/gu) ?? []);
  return words.size > 0 ? [...words].map((word) => `the ${word}`) : ["this story"];
}

/** "Plate 3. A hidden path." → ["a hidden path"]: what the page's picture shows. */
function subjectOfCaption(caption: string | undefined): string[] {
  const subject = caption?.replace(/^Plate \d+\.\s*/, "").replace(/\.$/, "").trim();
  return subject ? [subject.charAt(0).toLowerCase() + subject.slice(1)] : [];
}
