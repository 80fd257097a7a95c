/**
 * Checks that a param spec makes sense on its own: its keywords fit its type, its bounds leave room for
 * some value, its pattern compiles and cannot backtrack without end, and its default passes the spec it belongs to.
 */
import type { FieldIssue } from "#shared/errors.ts";
import type { ParamSpec, ParamType } from "#shared/template.ts";
import { checkPattern } from "#shared/safe-pattern.ts";
import { checkValue, hasType } from "./params.ts";

type Keyword = "minimum" | "maximum" | "minLength" | "maxLength" | "pattern" | "enum";

const keywordTypes: Record<Keyword, readonly ParamType[]> = {
  minimum: ["integer", "number"],
  maximum: ["integer", "number"],
  minLength: ["string"],
  maxLength: ["string"],
  pattern: ["string"],
  enum: ["string", "integer", "number", "boolean"],
};

/** Problems with the spec of one param, named under `path` (`params.pages`). */
export function checkParamSpec(spec: ParamSpec, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [keyword, types] of Object.entries(keywordTypes) as [Keyword, readonly ParamType[]][]) {
    if (spec[keyword] !== undefined && !types.includes(spec.type)) {
      issues.push({
        path: `${path}.${keyword}`,
        message:
          `${keyword} applies only to ${types.join(" and ")} params, not ${spec.type}; ` +
          "remove it or change the type",
      });
    }
  }
  if (spec.minimum !== undefined && spec.maximum !== undefined && spec.minimum > spec.maximum) {
    issues.push({
      path: `${path}.minimum`,
      message: `minimum ${spec.minimum} is greater than maximum ${spec.maximum}, so no value could pass`,
    });
  }
  if (spec.minLength !== undefined && spec.maxLength !== undefined && spec.minLength > spec.maxLength) {
    issues.push({
      path: `${path}.minLength`,
      message: `minLength ${spec.minLength} is greater than maxLength ${spec.maxLength}, so no value could pass`,
    });
  }
  const pattern = spec.pattern === undefined ? undefined : checkPattern(spec.pattern);
  if (pattern && !pattern.ok) issues.push({ path: `${path}.pattern`, message: `${spec.pattern} ${pattern.problem}` });
  spec.enum?.forEach((option, index) => {
    if (keywordTypes.enum.includes(spec.type) && !hasType(spec.type, option)) {
      issues.push({
        path: `${path}.enum.${index}`,
        message: `${JSON.stringify(option)} is not a valid ${spec.type}; every option must match the param's type`,
      });
    }
  });
  // A default is only judged against a spec that is itself sound, so that one mistake is reported once.
  if (issues.length === 0 && spec.default !== undefined) {
    for (const problem of checkValue(spec, spec.default)) {
      issues.push({ path: `${path}.default`, message: `the default does not fit this param: ${problem}` });
    }
  }
  return issues;
}
