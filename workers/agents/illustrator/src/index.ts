/**
 * illustrator: draws the images of a book, one small SVG per image, seeded by the brief, the style and the
 * image's number, so the same request draws the same pictures. It reports progress per image and takes
 * `delayMsPerImage` for each (150 ms by default) so a demo pipeline is watchable; tests pass 0.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";
import { nonEmptyString } from "#shared/agent-schema.ts";
import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import { imageSchema, type Image } from "#shared/samples/documents.ts";
import { hashHex, seededRandom, type SeededRandom } from "#shared/samples/seeded.ts";

const MAX_IMAGES = 100;
const IMAGE_SIZE = 512;
/** What one generated image is billed as, in output tokens, as image models commonly do. */
const TOKENS_PER_IMAGE = 258;

const inputSchema = z.object({
  brief: nonEmptyString(4000).describe("What the images are for (the strategist's brief)"),
  count: z.int().min(1).max(MAX_IMAGES).default(1).describe("How many images to draw"),
  style: z.string().trim().max(200).optional().describe("Art direction, e.g. \"watercolor, warm palette\""),
  delayMsPerImage: z.int().min(0).max(10_000).default(150).describe("Time taken per image, to make progress visible"),
});

const outputSchema = z.object({ images: z.array(imageSchema), count: z.int().min(1) });
type Illustrations = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0005, outputPer1kTokensUsd: 0.01 };

const SUBJECTS = ["a sunrise over the horizon", "a curious creature", "a hidden path", "a gathering of friends",
  "a quiet moment", "a great discovery", "a storm passing", "a festival of lights", "a long journey home",
  "a map of the world"] as const;

export default defineAgent({
  name: "illustrator",
  version: "1.0.0",
  description: `Draws up to ${MAX_IMAGES} deterministic SVG illustrations for a brief, reporting progress per image.`,
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run({ brief, count, style, delayMsPerImage }, _task, report) {
    const images: Image[] = [];
    let promptTokens = 0;
    for (let number = 1; number <= count; number++) {
      if (delayMsPerImage > 0) await scheduler.wait(delayMsPerImage);
      const image = drawImage(brief, style ?? "illustration", number);
      images.push(image);
      promptTokens += estimateTokens(image.prompt);
      await report.progress(number, count, `image ${number} of ${count}`);
    }
    await report.log("info", `drew ${count} image${count === 1 ? "" : "s"} in ${style ?? "the default style"}`);
    return { output: { images, count }, usage: usageFor(pricing, promptTokens, count * TOKENS_PER_IMAGE) };
  },
});

function drawImage(brief: string, style: string, number: number): Image {
  const seed = hashHex(`${brief}|${style}|${number}`);
  const random = seededRandom(seed);
  const subject = random.pick(SUBJECTS);
  // The brief's first sentence is its headline (the strategist puts the title there).
  const headline = (brief.split(/(?<=[.!?])\s/)[0] ?? brief).slice(0, 120);
  const prompt = `${style}: ${subject}, plate ${number}, for "${headline}"`;
  const id = `img-${String(number).padStart(3, "0")}`;
  return { id, seed, prompt, width: IMAGE_SIZE, height: IMAGE_SIZE, svg: svg(random) };
}

/** A sky, a ground line, a sun and two shapes: tiny, but different for every seed. */
function svg(random: SeededRandom): string {
  const color = () => `hsl(${random.int(0, 359)} ${random.int(40, 80)}% ${random.int(35, 75)}%)`;
  const shapes = [
    `<rect width="100" height="100" fill="${color()}"/>`,
    `<rect y="${random.int(60, 80)}" width="100" height="40" fill="${color()}"/>`,
    `<circle cx="${random.int(15, 85)}" cy="${random.int(12, 35)}" r="${random.int(6, 14)}" fill="${color()}"/>`,
    `<circle cx="${random.int(20, 80)}" cy="${random.int(50, 75)}" r="${random.int(8, 20)}" fill="${color()}"/>`,
    `<polygon points="${random.int(5, 40)},80 ${random.int(30, 70)},${random.int(30, 55)} ${random.int(60, 95)},80" ` +
      `fill="${color()}"/>`,
  ];
  const size = `width="${IMAGE_SIZE}" height="${IMAGE_SIZE}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${size} viewBox="0 0 100 100">${shapes.join("")}</svg>`;
}
