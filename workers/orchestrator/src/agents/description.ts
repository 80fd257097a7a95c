/**
 * Checks what an agent says about itself (`describe()`, `GET /describe`) before the registry trusts it:
 * the contract's fields with the right types. A problem is named by its path (`input: expected record`).
 */
import type { AgentDescription } from "#shared/agent.ts";
import { agentDescriptionSchema, agentHealthSchema } from "#shared/api/agents.ts";
import { formatPath } from "#shared/errors.ts";
import type { z } from "zod";

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseDescription(answer: unknown): { ok: true; description: AgentDescription } | { ok: false; problem: string } {
  const parsed = parse(agentDescriptionSchema, answer);
  return parsed.ok ? { ok: true, description: parsed.value } : parsed;
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
