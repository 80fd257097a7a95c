/**
 * Checks what an agent says about itself (`describe()`, `GET /describe`) before the registry trusts it:
 * the contract's fields with the right types, and schemas the validator can use. A problem is named by its path (`input: expected record`).
 */
import type { AgentDescription } from "#shared/agent.ts";
import { agentDescriptionSchema, agentHealthSchema } from "#shared/api/agents.ts";
import { formatPath } from "#shared/errors.ts";
import type { z } from "zod";
import { compileSchema } from "./json-schema.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A description whose schemas the validator cannot use (a pattern that could hang it, say) is refused too. */
export function parseDescription(answer: unknown): { ok: true; description: AgentDescription } | { ok: false; problem: string } {
  const parsed = parse(agentDescriptionSchema, answer);
  if (!parsed.ok) return parsed;
  for (const key of ["input", "output"] as const) {
    const schema = parsed.value[key];
    const compiled = schema === undefined ? undefined : compileSchema(schema);
    if (compiled && !compiled.ok) return { ok: false, problem: `${key}: ${compiled.problem}` };
  }
  return { ok: true, description: parsed.value };
}

export function parseHealth(answer: unknown): Parsed<z.infer<typeof agentHealthSchema>> {
  return parse(agentHealthSchema, answer);
}

function parse<S extends z.ZodType>(schema: S, answer: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(answer);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.slice(0, 5).map((issue) => {
    const path = formatPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return { ok: false, problem: problems.join("; ") };
}
