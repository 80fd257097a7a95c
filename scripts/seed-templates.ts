/**
 * Seeds the sample templates (`shared/samples/*.json`) through the public API, as a user would. A
 * template whose id exists already (even archived) is left alone, so restarting never stacks up new
 * versions of the samples or undoes a user's edits.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./worker-configs.ts";

const defaultSamplesDir = join(repoRoot, "shared/samples");

export type SeedResult = { file: string; id: string; outcome: "created" | "exists" | "failed"; detail?: string };

type SampleTemplate = { file: string; id: string; body: string } | { file: string; problem: string };

function sampleTemplates(samplesDir: string): SampleTemplate[] {
  let files: string[];
  try {
    files = readdirSync(samplesDir).filter((name) => name.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return files.map((name) => {
    const file = relative(repoRoot, join(samplesDir, name));
    const body = readFileSync(join(samplesDir, name), "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      return { file, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
    }
    const id = typeof parsed === "object" && parsed !== null && "id" in parsed ? parsed.id : undefined;
    if (typeof id !== "string" || id === "") return { file, problem: 'no string "id": a sample must be a template' };
    return { file, id, body };
  });
}

/** The API's error message, when the body is the documented `{ error: { message } }`. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; details?: unknown } };
    if (typeof parsed.error?.message === "string") {
      const details = parsed.error.details === undefined ? "" : ` ${JSON.stringify(parsed.error.details)}`;
      return `${response.status} ${parsed.error.message}${details}`;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return `${response.status} ${text.slice(0, 300)}`;
}

export async function seedSampleTemplates(
  apiUrl: string,
  token: string,
  signal: AbortSignal,
  samplesDir = defaultSamplesDir,
): Promise<SeedResult[]> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const results: SeedResult[] = [];
  // One at a time and in file order, so a sample may build on one seeded before it.
  for (const sample of sampleTemplates(samplesDir)) {
    if ("problem" in sample) {
      results.push({ file: sample.file, id: "", outcome: "failed", detail: sample.problem });
      continue;
    }
    const url = `${apiUrl}/v1/templates/${encodeURIComponent(sample.id)}`;
    const found = await fetch(url, { headers, signal });
    if (found.ok) {
      await found.body?.cancel();
      results.push({ file: sample.file, id: sample.id, outcome: "exists" });
      continue;
    }
    if (found.status !== 404) {
      results.push({ file: sample.file, id: sample.id, outcome: "failed", detail: await errorMessage(found) });
      continue;
    }
    await found.body?.cancel();
    const created = await fetch(`${apiUrl}/v1/templates`, { method: "POST", headers, body: sample.body, signal });
    if (created.ok) {
      await created.body?.cancel();
      results.push({ file: sample.file, id: sample.id, outcome: "created" });
    } else {
      results.push({ file: sample.file, id: sample.id, outcome: "failed", detail: await errorMessage(created) });
    }
  }
  return results;
}
