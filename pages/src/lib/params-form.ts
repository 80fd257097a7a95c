/**
 * The start form of a template, generated from its `params`: the control each parameter type gets, the
 * value a control's text stands for, and the same checks the orchestrator makes (so most mistakes are
 * shown before anything is sent; the API's answer covers the rest).
 */
import type { ParamSpec } from "../../../shared/template.ts";

export type ParamControl = "text" | "number" | "checkbox" | "select" | "json";

export function controlOf(spec: ParamSpec): ParamControl {
  if (spec.enum) return "select";
  switch (spec.type) {
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "checkbox";
    case "array":
    case "object":
      return "json";
    default:
      return "text";
  }
}

/** What a control shows first: the default, as text. */
export function initialText(spec: ParamSpec): string {
  if (spec.default === undefined) return spec.type === "boolean" ? "false" : "";
  if (spec.type === "array" || spec.type === "object") return JSON.stringify(spec.default, null, 2);
  return String(spec.default);
}

export type ParamReading = { ok: true; value: unknown; present: boolean } | { ok: false; message: string };

/** Turns what the person typed into the parameter's value, or says what is wrong with it. */
export function readParam(spec: ParamSpec, text: string): ParamReading {
  const trimmed = text.trim();
  if (trimmed === "") {
    if (spec.required && spec.default === undefined) return { ok: false, message: "Required." };
    return { ok: true, value: undefined, present: false };
  }
  let value: unknown;
  switch (spec.type) {
    case "string":
      value = text;
      break;
    case "integer":
    case "number": {
      const number = Number(trimmed);
      if (!Number.isFinite(number)) return { ok: false, message: "Enter a number." };
      if (spec.type === "integer" && !Number.isInteger(number)) return { ok: false, message: "Enter a whole number." };
      value = number;
      break;
    }
    case "boolean":
      value = trimmed === "true";
      break;
    case "array":
    case "object":
      try {
        value = JSON.parse(trimmed);
      } catch {
        return { ok: false, message: `Enter JSON (${spec.type === "array" ? "a list like [1, 2]" : 'an object like {"a": 1}'}).` };
      }
      if (spec.type === "array" ? !Array.isArray(value) : typeof value !== "object" || value === null || Array.isArray(value)) {
        return { ok: false, message: `Enter ${spec.type === "array" ? "a JSON list" : "a JSON object"}.` };
      }
      break;
  }
  if (spec.enum && !spec.enum.some((option) => option === value || String(option) === text)) {
    return { ok: false, message: `Choose one of ${spec.enum.join(", ")}.` };
  }
  if (typeof value === "number") {
    if (spec.minimum !== undefined && value < spec.minimum) return { ok: false, message: `At least ${spec.minimum}.` };
    if (spec.maximum !== undefined && value > spec.maximum) return { ok: false, message: `At most ${spec.maximum}.` };
  }
  if (typeof value === "string") {
    if (spec.minLength !== undefined && value.length < spec.minLength) return { ok: false, message: `At least ${spec.minLength} characters.` };
    if (spec.maxLength !== undefined && value.length > spec.maxLength) return { ok: false, message: `At most ${spec.maxLength} characters.` };
    if (spec.pattern !== undefined) {
      try {
        if (!new RegExp(spec.pattern).test(value)) return { ok: false, message: `Must match ${spec.pattern}.` };
      } catch {
        // A pattern this browser cannot read: the orchestrator checks it.
      }
    }
  }
  if (spec.enum && spec.type !== "string") {
    const match = spec.enum.find((option) => String(option) === text);
    if (match !== undefined) value = match;
  }
  return { ok: true, value, present: true };
}

/** A short description of the constraints, shown under the control. */
export function constraintsOf(spec: ParamSpec): string {
  const parts: string[] = [];
  if (spec.minimum !== undefined && spec.maximum !== undefined) parts.push(`${spec.minimum} to ${spec.maximum}`);
  else if (spec.minimum !== undefined) parts.push(`at least ${spec.minimum}`);
  else if (spec.maximum !== undefined) parts.push(`at most ${spec.maximum}`);
  if (spec.minLength !== undefined || spec.maxLength !== undefined) {
    parts.push(`${spec.minLength ?? 0}–${spec.maxLength ?? "∞"} characters`);
  }
  if (spec.default !== undefined) parts.push(`default ${JSON.stringify(spec.default)}`);
  return parts.join(" · ");
}
