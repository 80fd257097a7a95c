/**
 * text: deterministic text plumbing for pipelines, at no cost. `split` cuts a long document into chunks
 * (output `chunks`, an array a forEach step can fan out over); `join` puts parts back together, taking a
 * named field from each part when the parts are step outputs (e.g. the `text` of each llm answer).
 */
import { z } from "zod";
import { NonRetryableError } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { splitText } from "./chunks.ts";

/** One flat object (not a union per op), so forms and schema readers see every field. */
const inputSchema = z.object({
  op: z.enum(["split", "join"]).describe("split: text → chunks; join: parts → text"),
  text: z.string().max(2_000_000).optional().describe("split: the text to cut"),
  maxChars: z.int().min(100).max(200_000).default(4000).describe("split: the longest chunk, in characters"),
  parts: z.array(z.unknown()).max(10_000).optional().describe("join: the parts, strings or objects"),
  field: z.string().max(100).optional().describe("join: take this field of each part that is an object"),
  separator: z.string().max(100).default("\n\n").describe("join: between parts"),
  heading: z.string().max(200).optional().describe("join: put this above each part, {n} for its number"),
});

const outputSchema = z.object({
  text: z.string().optional(),
  chunks: z.array(z.string()).optional(),
  count: z.int().min(0),
  characters: z.int().min(0),
});
export default defineAgent({
  name: "text",
  version: "1.0.0",
  description: "Splits a long text into chunks (for a forEach) and joins parts back together. Deterministic, free.",
  input: inputSchema,
  output: outputSchema,
  async run(input) {
    if (input.op === "split") {
      if (!input.text?.trim()) throw new NonRetryableError("input.text: split needs a non-empty text");
      const chunks = splitText(input.text, input.maxChars);
      return { output: { chunks, count: chunks.length, characters: input.text.length } };
    }
    if (!input.parts) throw new NonRetryableError("input.parts: join needs an array of parts");
    const texts = input.parts.map((part, index) => {
      const value = input.field && typeof part === "object" && part !== null ? (part as Record<string, unknown>)[input.field] : part;
      const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
      return input.heading ? `${input.heading.replaceAll("{n}", String(index + 1))}\n${text}` : text;
    });
    const text = texts.join(input.separator);
    return { output: { text, count: texts.length, characters: text.length } };
  },
});
