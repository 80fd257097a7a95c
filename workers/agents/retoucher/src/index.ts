/**
 * retoucher: post-processes the illustrator's images for print: scales each SVG to the requested width
 * (keeping its aspect), adds a thin frame and gives every image a caption. Pure string work on the SVG,
 * reported per image.
 */
import { z } from "zod";
import type { AgentPricing } from "#shared/agent.ts";
import { defineAgent } from "#shared/agent-kit.ts";

import { estimateTokens, usageFor } from "#shared/agent-usage.ts";
import { imageSchema, type Image } from "#shared/samples/documents.ts";

const inputSchema = z.object({
  images: z.array(imageSchema).min(1).max(1000).describe("The illustrator's images"),
  width: z.int().min(64).max(4096).default(1024).describe("Target width in pixels; height keeps the aspect"),
  frame: z.boolean().default(true).describe("Draw a thin white frame inside the edge"),
});

const retouchedImageSchema = imageSchema.extend({ caption: z.string(), retouched: z.literal(true) });
const outputSchema = z.object({ images: z.array(retouchedImageSchema), count: z.int().min(1) });
type Retouched = z.infer<typeof outputSchema>;

const pricing: AgentPricing = { inputPer1kTokensUsd: 0.0002, outputPer1kTokensUsd: 0.0002 };

export default defineAgent({
  name: "retoucher",
  version: "1.0.0",
  description: "Scales images to a print width, frames them and captions them.",
  input: inputSchema,
  output: outputSchema,
  pricing,
  async run({ images, width, frame }, _task, report) {
    const retouched: Retouched["images"] = [];
    for (const [index, image] of images.entries()) {
      retouched.push(retouch(image, index + 1, width, frame));
      await report.progress(index + 1, images.length, `retouched ${image.id}`);
    }
    const first = retouched[0];
    const size = `${first?.width}x${first?.height}`;
    await report.log("info", `retouched ${images.length} images to ${size}${frame ? ", framed" : ""}`);
    const inputTokens = estimateTokens(images.map((image) => image.prompt).join(" "));
    const outputTokens = estimateTokens(retouched.map((image) => image.caption).join(" "));
    return { output: { images: retouched, count: retouched.length }, usage: usageFor(pricing, inputTokens, outputTokens) };
  },
});

function retouch(image: Image, number: number, width: number, frame: boolean): Retouched["images"][number] {
  const height = Math.round((width * image.height) / image.width);
  const caption = image.caption ?? `Plate ${number}. ${captionFromPrompt(image.prompt)}`;
  return { ...image, width, height, svg: resize(image.svg, width, height, frame), caption, retouched: true };
}

/** "watercolor: a hidden path, plate 3, for …" → "A hidden path." */
function captionFromPrompt(prompt: string): string {
  const afterStyle = prompt.includes(":") ? prompt.slice(prompt.indexOf(":") + 1) : prompt;
  const subject = (afterStyle.split(",")[0] ?? "").trim();
  return `${subject.charAt(0).toUpperCase()}${subject.slice(1)}.`;
}

/** Rewrites the root element's size; the viewBox keeps the drawing scaling with it. */
function resize(svg: string, width: number, height: number, frame: boolean): string {
  const sized = svg.replace(/^<svg\b([^>]*)>/, (_root, attributes: string) => {
    const rest = attributes.replace(/\s(width|height)="[^"]*"/g, "");
    return `<svg${rest} width="${width}" height="${height}">`;
  });
  if (!frame) return sized;
  // Percentages, so the frame fits whatever viewBox the drawing uses.
  const border = `<rect x="1%" y="1%" width="98%" height="98%" fill="none" stroke="#fff" stroke-width="1%"/>`;
  return sized.replace(/<\/svg>\s*$/, `${border}</svg>`);
}
