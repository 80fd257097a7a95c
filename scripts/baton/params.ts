/**
 * Turning `--param name=value` text into the typed values a template's params expect (`pages=30` is the
 * integer 30 when `pages` is an integer param), and finding the required params still missing. Pure;
 * the server validates the result again, with the template's full rules.
 */
import type { ParamSpec } from "#shared/template.ts";
import { UsageError } from "./args.ts";

export function coerceParam(name: string, spec: ParamSpec | undefined, raw: string): unknown {
  const fail = (what: string): never => {
    throw new UsageError(`--param ${name}: expected ${what}, got "${raw}".`);
  };
  switch (spec?.type) {
    case undefined:
    case "string":
      return raw;
    case "integer":
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : fail("a whole number");
    case "number":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : fail("a number");
    case "boolean": {
      const value = { true: true, yes: true, "1": true, false: false, no: false, "0": false }[raw.trim().toLowerCase()];
      return value ?? fail("true or false");
    }
    case "array":
    case "object": {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return fail(`JSON (an ${spec.type})`);
      }
      const isArray = Array.isArray(value);
      if (spec.type === "array" ? !isArray : isArray || typeof value !== "object" || value === null) fail(`a JSON ${spec.type}`);
      return value;
    }
  }
}

export function coerceParams(specs: Record<string, ParamSpec> | undefined, pairs: readonly [string, string][]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, raw] of pairs) params[name] = coerceParam(name, specs?.[name], raw);
  return params;
}

/** Required params with no default that `given` lacks, in the template's order. */
export function missingParams(specs: Record<string, ParamSpec> | undefined, given: Record<string, unknown>): [string, ParamSpec][] {
  return Object.entries(specs ?? {}).filter(([name, spec]) => spec.required === true && spec.default === undefined && !(name in given));
}
