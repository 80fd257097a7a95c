/**
 * inspector: the quality gate of both sample pipelines. Checks a book (pages numbered and complete, page
 * count and word count true, checksum intact, length within bounds) or an article (sections, word count,
 * length), and both for banned words, then scores it. Problems found are the result, not errors: it fails
 * (NonRetryableError) only when the input is not a book or an article at all.
 */
import { z } from "zod";
import { NonRetryableError, type AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";

import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import { articleSchema, bookSchema } from "#shared/samples/documents.ts";
import { inspectArticle, inspectBook, issueSchema, rulesSchema } from "./rules.ts";

const inputSchema = z
  .object({
    book: bookSchema.optional().describe("The assembler's output"),
    article: articleSchema.optional().describe("The writer's output"),
    rules: rulesSchema.prefault({}),
  })
  .meta({ oneOf: [{ required: ["book"] }, { required: ["article"] }] });

const outputSchema = z.object({
  kind: z.enum(["book", "article"]),
  passed: z.boolean(),
  score: z.int().min(0).max(100),
  issues: z.array(issueSchema),
});
export type Inspection = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0002, outputPer1kTokensUsd: 0.001 };

/** An error costs a quarter of the score, a warning a twentieth. */
const PENALTY = { error: 25, warning: 5 } as const;

export default defineAgent({
  name: "inspector",
  version: "1.0.0",
  description: "Checks a book or an article against rules and scores it: { passed, score, issues }.",
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run({ book, article, rules }, _task, report) {
    const inspected =
      book && !article
        ? { kind: "book" as const, title: book.title, issues: await inspectBook(book, rules) }
        : article && !book
          ? { kind: "article" as const, title: article.title, issues: inspectArticle(article, rules) }
          : undefined;
    // Checked here rather than in the schema so the message can say exactly what to send.
    if (!inspected) throw new NonRetryableError("input: give exactly one of input.book and input.article");

    const { kind, title, issues } = inspected;
    const score = Math.max(0, 100 - issues.reduce((sum, issue) => sum + PENALTY[issue.severity], 0));
    const passed = score >= rules.minScore && !issues.some((issue) => issue.severity === "error");
    const summary = `${kind} "${title}" ${passed ? "passed" : "failed"} with score ${score}`;
    const details = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    await report.log(passed ? "info" : "warn", details ? `${summary}: ${details}` : summary);

    const output: Inspection = { kind, passed, score, issues };
    const inputTokens = estimateTokens(JSON.stringify(book ?? article));
    return { output, usage: usageFor(pricing, inputTokens, estimateTokens(JSON.stringify(output))) };
  },
});
