/**
 * Agent input and output shapes written once, in zod: `jsonSchema` turns them into the JSON Schema that
 * `describe()` publishes, `parseInput` checks `task.input` against the same definition in `run()`.
 */
import { z } from "zod";
import { NonRetryableError, type JsonSchema } from "./agent.ts";

/**
 * Input schemas describe what a caller may send (defaults shown, extra fields allowed); output schemas
 * describe exactly what comes back.
 */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: "any" });
  // zod bounds every integer by the safe-integer range; those bounds say nothing to a reader, so drop them.
  return JSON.parse(
    JSON.stringify(generated, (key, value: unknown) =>
      (key === "maximum" && value === Number.MAX_SAFE_INTEGER) || (key === "minimum" && value === Number.MIN_SAFE_INTEGER)
        ? undefined
        : value,
    ),
  ) as JsonSchema;
}

/**
 * Bad input never gets better on retry, so it fails the step at once, naming every bad field by path
 * (`input.images.3.svg: ...`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = ["input", ...issue.path.map(String)].join(".");
    return `${path}: ${issue.message}`;
  });
  throw new NonRetryableError(problems.join("; "));
}

/** The most common input field: text that must be there, trimmed, with a clear message when it is not. */
export function nonEmptyString(maxLength: number): z.ZodString {
  const message = "must be a non-empty string";
  return z.string({ error: message }).trim().min(1, message).max(maxLength);
}
