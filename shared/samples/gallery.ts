/**
 * The gallery: every sample template (the JSON files beside this one, which `npm start` seeds), with what
 * each shows, so the console's "New pipeline" can offer them as starting points and the tests can run
 * them all. Adding a sample means adding its file and one line here.
 */
import type { TemplateDraft } from "../api/templates.ts";
import article from "./article.json";
import bugTriage from "./bug-triage.json";
import classifyRoute from "./classify-route.json";
import codeReview from "./code-review.json";
import countdown from "./countdown.json";
import ebook from "./ebook.json";
import extractData from "./extract-data.json";
import hello from "./hello.json";
import imageCaptions from "./image-captions.json";
import moderation from "./moderation.json";
import nightlyDigest from "./nightly-digest.json";
import researchWriteReview from "./research-write-review.json";
import summarizeDocument from "./summarize-document.json";
import translate from "./translate.json";

export interface GalleryEntry {
  template: TemplateDraft;
  /** The features it shows, for the picker: forEach, approval, condition, lock, schedule, … */
  shows: string[];
  /** Whether a step needs the llm agent (a real model, or the stand-in offline). */
  usesLlm: boolean;
}

const entry = (template: unknown, shows: string[]): GalleryEntry => {
  const draft = template as TemplateDraft;
  return { template: draft, shows, usesLlm: draft.steps.some((step) => (step as { agent?: string }).agent === "llm") };
};

export const gallery: readonly GalleryEntry[] = [
  entry(hello, ["two steps", "progress"]),
  entry(article, ["research → write → review"]),
  entry(countdown, ["concurrency limit"]),
  entry(ebook, ["condition", "approval", "retries", "rate limit", "budget"]),
  entry(codeReview, ["structured output", "retries", "budget"]),
  entry(bugTriage, ["structured output", "condition"]),
  entry(summarizeDocument, ["forEach", "merge", "text agent"]),
  entry(translate, ["forEach"]),
  entry(extractData, ["JSON Schema output"]),
  entry(classifyRoute, ["conditions", "routing"]),
  entry(researchWriteReview, ["approval", "lock"]),
  entry(imageCaptions, ["forEach", "illustrator"]),
  entry(moderation, ["approval", "lock", "concurrency key"]),
  entry(nightlyDigest, ["schedule", "forEach", "lock", "rate limit"]),
];
