/**
 * The stand-in model: a deterministic local answer behind the llm agent's own contract, so that the
 * gallery pipelines run end to end offline (`npm start` without an endpoint, and the test suite). It is
 * used only when no endpoint is configured and `LLM_STAND_IN=1` says so, and it never hides: the model is
 * named `stand-in`, every text starts with `[stand-in]`, and every run logs a warning.
 *
 * Structured answers (`schema`) are built from the JSON Schema itself, seeded by the prompt: the same
 * prompt always gets the same answer, and a different prompt usually picks a different enum value, so
 * conditions and routes downstream have something real to decide on.
 */
import { type SeededRandom, seededRandom } from "#shared/samples/seeded.ts";

export const STAND_IN_MODEL = "stand-in";
export const STAND_IN_MARK = "[stand-in]";

const WORDS = ["clear", "brief", "steady", "careful", "useful", "plain", "quiet", "exact", "light", "solid", "fair", "sound"];

/** A short, marked, deterministic reply that quotes the start of the prompt it answers. */
export function standInText(prompt: string, system?: string): string {
  const random = seededRandom(`${system ?? ""}\u0000${prompt}`);
  const gist = prompt.replace(/\s+/g, " ").trim().slice(0, 120);
  const words = random.sample(WORDS, 3).join(", ");
  return `${STAND_IN_MARK} A ${words} answer to: "${gist}${prompt.length > 120 ? "…" : ""}"`;
}

/** A value that fits `schema` (the subset agents and templates write), seeded by the prompt. */
export function standInValue(schema: unknown, prompt: string): unknown {
  return valueFor(schema, seededRandom(prompt), "value", 0);
}

type Schema = Record<string, unknown>;

function valueFor(schema: unknown, random: SeededRandom, name: string, depth: number): unknown {
  if (typeof schema !== "object" || schema === null || depth > 8) return `${STAND_IN_MARK} ${name}`;
  const s = schema as Schema;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return random.pick(s.enum);
  for (const key of ["oneOf", "anyOf"] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) return valueFor(random.pick(options), random, name, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "object":
      return objectFor(s, random, depth);
    case "array":
      return arrayFor(s, random, name, depth);
    case "integer":
    case "number":
      return numberFor(s, random, type === "integer");
    case "boolean":
      return random.next() < 0.5;
    case "null":
      return null;
    default:
      return stringFor(s, random, name);
  }
}

function objectFor(s: Schema, random: SeededRandom, depth: number): Record<string, unknown> {
  const properties = (typeof s.properties === "object" && s.properties !== null ? s.properties : {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, valueFor(sub, random, key, depth + 1)]));
}

function arrayFor(s: Schema, random: SeededRandom, name: string, depth: number): unknown[] {
  const min = typeof s.minItems === "number" ? s.minItems : 1;
  const max = typeof s.maxItems === "number" ? s.maxItems : Math.max(min, 3);
  const count = Math.min(max, Math.max(min, random.int(2, 3)));
  return Array.from({ length: count }, (_, index) => valueFor(s.items, random, `${name} ${index + 1}`, depth + 1));
}

function numberFor(s: Schema, random: SeededRandom, integer: boolean): number {
  const min = typeof s.minimum === "number" ? s.minimum : 0;
  const max = typeof s.maximum === "number" ? s.maximum : min + 100;
  const value = min + random.next() * (max - min);
  return integer ? Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(value))) : Math.round(value * 100) / 100;
}

function stringFor(s: Schema, random: SeededRandom, name: string): string {
  let text = `${STAND_IN_MARK} ${name} ${random.pick(WORDS)}`;
  if (typeof s.minLength === "number") text = text.padEnd(s.minLength, ".");
  if (typeof s.maxLength === "number") text = text.slice(0, s.maxLength);
  return text;
}
