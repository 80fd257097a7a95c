/**
 * The documents the sample agents hand each other (analysis → strategy → images → book; outline → article),
 * as zod schemas: each agent's input and output schema is built from these, so a shape is written once
 * and a step's output fits the next step's input by construction.
 */
import { z } from "zod";
import { canonicalJson } from "../canonical-json.ts";

export const marketAnalysisSchema = z.object({
  theme: z.string(),
  market: z.string(),
  demandScore: z.int().min(0).max(100).describe("How much readers look for the theme, 0-100"),
  competitorCount: z.int().min(0),
  saturation: z.enum(["low", "medium", "high"]),
  keywords: z.array(z.string()),
  audience: z.string(),
  suggestedPriceUsd: z.number(),
  brief: z.string().describe("One paragraph for the strategist and the illustrator"),
});
export type MarketAnalysis = z.infer<typeof marketAnalysisSchema>;

export const imageSchema = z.object({
  id: z.string().min(1),
  seed: z.string(),
  prompt: z.string(),
  width: z.int().positive(),
  height: z.int().positive(),
  svg: z.string().regex(/^<svg\b/, "must be an SVG document"),
  caption: z.string().optional(),
});
export type Image = z.infer<typeof imageSchema>;

export const bookPageSchema = z.object({
  number: z.int().min(1),
  imageId: z.string().optional(),
  caption: z.string().optional(),
  text: z.string(),
});
export type BookPage = z.infer<typeof bookPageSchema>;

export const bookSchema = z.object({
  title: z.string(),
  subtitle: z.string().optional(),
  author: z.string(),
  pageCount: z.int().min(0),
  wordCount: z.int().min(0),
  pages: z.array(bookPageSchema),
  checksum: z.string().describe("sha256 of the title and pages; the inspector recomputes it"),
});
export type Book = z.infer<typeof bookSchema>;

export const outlineSectionSchema = z.object({ heading: z.string(), points: z.array(z.string()) });
export type OutlineSection = z.infer<typeof outlineSectionSchema>;

export const factSchema = z.object({ id: z.string(), claim: z.string(), source: z.string() });
export type Fact = z.infer<typeof factSchema>;

export const articleSchema = z.object({
  title: z.string(),
  topic: z.string(),
  sections: z.array(z.object({ heading: z.string(), body: z.string() })),
  text: z.string().describe("The whole article as Markdown"),
  wordCount: z.int().min(0),
});
export type Article = z.infer<typeof articleSchema>;

/** Binds a book's content to its title so the inspector can tell a book was changed after assembly. */
export async function bookChecksum(book: Pick<Book, "title" | "pages">): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson({ title: book.title, pages: book.pages }));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256:${Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** "deep sea" → "Deep Sea", for titles and headings. */
export function titleCase(text: string): string {
  return text.replace(/\p{L}[\p{L}'-]*/gu, (word) => word.charAt(0).toUpperCase() + word.slice(1));
}
