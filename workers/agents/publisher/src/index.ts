/**
 * publisher: puts a finished book or article on a pretend storefront. The listing id comes from the
 * task's idempotency key, which is the same on every attempt of a step, so a retried publish finds the
 * same listing instead of creating a second one: the pattern every agent with side effects should follow.
 */
import { z } from "zod";
import { NonRetryableError, type AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { usageFor } from "#shared/agent-usage.ts";

const inputSchema = z
  .object({
    book: z
      .object({ title: nonEmptyString(200), pageCount: z.int().min(1), checksum: nonEmptyString(200) })
      .optional()
      .describe("The assembler's output; only title, pageCount and checksum are used"),
    article: z
      .object({ title: nonEmptyString(200), wordCount: z.int().min(1) })
      .optional()
      .describe("The writer's output; only title and wordCount are used"),
    storefront: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and '-'")
      .default("baton-books"),
    priceUsd: z.number().min(0).max(1000).default(4.99),
  })
  .meta({ oneOf: [{ required: ["book"] }, { required: ["article"] }] });

const outputSchema = z.object({
  listingId: z.string(),
  url: z.string(),
  storefront: z.string(),
  title: z.string(),
  priceUsd: z.number(),
  status: z.literal("published"),
});
type Listing = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { perCallUsd: 0.01 };

export default defineAgent({
  name: "publisher",
  version: "1.0.0",
  description: "Publishes a book or an article to a pretend storefront; retries of a step publish it once.",
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run({ book, article, storefront, priceUsd }, task, report) {
    const work = book && !article ? book : article && !book ? article : undefined;
    if (!work) throw new NonRetryableError("input: give exactly one of input.book and input.article");

    const listingId = await listingIdFor(storefront, task.idempotencyKey);
    const listing: Listing = {
      listingId,
      url: `https://${storefront}.example/listings/${listingId}`,
      storefront,
      title: work.title,
      priceUsd,
      status: "published",
    };
    await report.log(
      "info",
      `published "${work.title}" on ${storefront} as ${listingId} at $${priceUsd} (attempt ${task.attempt})`,
    );
    return { output: listing, usage: usageFor(pricing, 0, 0) };
  },
});

/** 64 bits of sha256: enough that two listings never share an id, short enough to read in a URL. */
async function listingIdFor(storefront: string, idempotencyKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${storefront}|${idempotencyKey}`));
  const hex = Array.from(new Uint8Array(digest).slice(0, 8), (byte) => byte.toString(16).padStart(2, "0"));
  return `lst_${hex.join("")}`;
}
