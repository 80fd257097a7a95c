/**
 * Where each kind of `{{…}}` reference may appear in a template, and whether what it names exists.
 *
 * - Step `input`, `when`, approval `message`, pipeline `params`: params, execution fields, and outputs
 *   of steps upstream of the step (reached through `needs`, directly or not).
 * - `item` and `index`: only in the `input` of a step with `forEach` (one run per item).
 * - `forEach.items`, a string `when` and `when.value`: exactly one reference (the array to fan out
 *   over, the value to test), so that the value keeps its type.
 * - `concurrency.key` and `rateLimit.key`: params only; they are computed when the execution is
 *   queued, before any step has run.
 */
import { type FieldIssue, formatPath } from "#shared/errors.ts";
import type { ParamSpec, Step, Template } from "#shared/template.ts";
import { findReferences, type FoundReference, type JsonPath, soleReference } from "./references.ts";

/** One field of a template that may hold references, with what is allowed there. */
interface Site {
  path: JsonPath;
  value: unknown;
  /** The step the field belongs to; absent for template-level fields. */
  step?: { id: string; upstream: ReadonlySet<string>; forEachInput: boolean };
  /** How the field reads in a message, e.g. " in when"; empty for a step's input. */
  label: string;
  paramsOnly?: boolean;
  /** Set when the field must be exactly one reference: how to describe it. */
  sole?: string;
  /** forEach.items: a whole param named here must be an array. */
  fanOut?: boolean;
}

interface Declared {
  params: Readonly<Record<string, ParamSpec>>;
  stepIds: readonly string[];
}

/** Every reference problem in a template that passed the schema, given each step's upstream steps. */
export function checkReferences(
  template: Template,
  upstream: ReadonlyMap<string, ReadonlySet<string>>,
): FieldIssue[] {
  const stepIds = [...new Set(template.steps.map((step) => step.id))];
  const declared: Declared = { params: template.params, stepIds };
  return sitesOf(template, upstream).flatMap((site) => checkSite(site, declared));
}

function sitesOf(template: Template, upstream: ReadonlyMap<string, ReadonlySet<string>>): Site[] {
  const sites: Site[] = [];
  template.steps.forEach((step, index) => {
    // Built from this step's own needs rather than looked up by its id, which may be a duplicate.
    const needs = step.needs ?? [];
    const stepUpstream = new Set([...needs, ...needs.flatMap((need) => [...(upstream.get(need) ?? [])])]);
    const add = (field: JsonPath, value: unknown, extra: Partial<Site> = {}): void => {
      const forEachInput = step.type === "agent" && step.forEach !== undefined && field[0] === "input";
      const label = field[0] === "input" ? "" : ` in ${formatPath(field)}`;
      const owner = { id: step.id, upstream: stepUpstream, forEachInput };
      sites.push({ path: ["steps", index, ...field], value, step: owner, label, ...extra });
    };
    addWhenSites(step, add);
    if (step.type === "agent") {
      add(["input"], step.input);
      if (step.fallback?.input !== undefined) add(["fallback", "input"], step.fallback.input);
      if (step.forEach) {
        const sole = "forEach.items (the array to run over)";
        add(["forEach", "items"], step.forEach.items, { sole, fanOut: true });
      }
    }
    if (step.type === "approval") add(["message"], step.message);
    if (step.type === "pipeline") add(["params"], step.params);
  });
  for (const field of ["concurrency", "rateLimit"] as const) {
    const key = template[field]?.key;
    if (key === undefined) continue;
    sites.push({ path: [field, "key"], value: key, label: ` in ${field}.key`, paramsOnly: true });
  }
  return sites;
}

function addWhenSites(step: Step, add: (field: JsonPath, value: unknown, extra?: Partial<Site>) => void): void {
  const when = step.when;
  if (when === undefined) return;
  if (typeof when === "string") {
    add(["when"], when, { sole: "when (the value to test, e.g. {{steps.review.output.approved}})" });
    return;
  }
  add(["when", "value"], when.value, { sole: "when.value (the value to compare)" });
  add(["when", "equals"], when.equals);
  add(["when", "notEquals"], when.notEquals);
  add(["when", "in"], when.in);
}

function checkSite(site: Site, declared: Declared): FieldIssue[] {
  const found = findReferences(site.value, site.path);
  const issues = found.flatMap((one) => {
    const message = referenceProblem(one, site, declared);
    return message === null ? [] : [{ path: formatPath(one.path), message }];
  });
  if (site.sole !== undefined && typeof site.value === "string") {
    const reference = soleReference(site.value);
    if (reference === null && !found.some((one) => one.problem !== undefined)) {
      issues.push({
        path: formatPath(site.path),
        message: `${site.sole} must be exactly one {{reference}} with nothing around it; got "${site.value}"`,
      });
    }
    if (site.fanOut && reference?.scope === "params" && reference.path.length === 0) {
      const spec = Object.hasOwn(declared.params, reference.name) ? declared.params[reference.name] : undefined;
      if (spec !== undefined && spec.type !== "array") {
        issues.push({
          path: formatPath(site.path),
          message:
            `forEach.items must be an array, but param "${reference.name}" is ${withArticle(spec.type)}; ` +
            'declare it with type "array"',
        });
      }
    }
  }
  return issues;
}

function referenceProblem(found: FoundReference, site: Site, declared: Declared): string | null {
  if (found.problem !== undefined) return found.problem;
  const { reference, source } = found;
  const uses = site.step ? `step "${site.step.id}" uses ${source}${site.label}` : `${source}${site.label}`;
  if (site.paramsOnly && reference.scope !== "params") {
    return (
      `${uses} is not allowed: only {{params.…}} can be used here, ` +
      "because the key is computed when an execution is queued, before anything else is known"
    );
  }
  switch (reference.scope) {
    case "params": {
      const spec = Object.hasOwn(declared.params, reference.name) ? declared.params[reference.name] : undefined;
      if (spec === undefined) {
        const names = Object.keys(declared.params);
        const known = names.length > 0 ? ` (declared: ${names.join(", ")})` : "";
        return `${uses}, but the template declares no param "${reference.name}"; declare it under params${known}`;
      }
      if (reference.path.length > 0 && spec.type !== "object" && spec.type !== "array") {
        return `${uses}, but param "${reference.name}" is ${withArticle(spec.type)} and has no fields`;
      }
      return null;
    }
    case "steps": {
      const { stepId } = reference;
      if (!declared.stepIds.includes(stepId)) {
        return `${uses}, but there is no step "${stepId}"; steps are: ${declared.stepIds.join(", ")}`;
      }
      if (site.step === undefined) return null;
      if (stepId === site.step.id) return `${uses}, its own output; a step can only read steps upstream of it`;
      if (site.step.upstream.has(stepId)) return null;
      return `${uses} but "${stepId}" is not upstream of it; add "${stepId}" to needs`;
    }
    case "item":
    case "index":
      if (site.step?.forEachInput) return null;
      return `${uses}, but item and index exist only in the input of a step with forEach`;
    case "execution":
      return null;
    case "payload":
    case "headers":
      return `${uses}, but payload and headers exist only in an inbound trigger's params mapping`;
  }
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
