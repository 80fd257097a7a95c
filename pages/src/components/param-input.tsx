/**
 * The control of one generated form field, by its spec (lib/params-form.ts picks which): a select for
 * enums, a checkbox, a number, JSON for lists and objects, text otherwise; and `ParamField`, that
 * control with its label, help and error. Shared by the start form of a pipeline and the run form of an
 * agent, so the two forms behave the same.
 */
import type { ParamSpec } from "../../../shared/template.ts";
import { constraintsOf, controlOf } from "../lib/params-form.ts";
import { describedBy, Field } from "./field.tsx";

export function ParamInput({
  aria,
  name,
  spec,
  text,
  set,
  blur,
}: {
  aria: Record<string, unknown>;
  name: string;
  spec: ParamSpec;
  text: string;
  set(value: string): void;
  blur(): void;
}) {
  const control = controlOf(spec);
  if (control === "select") {
    return (
      <select {...aria} name={name} value={text} onChange={(e) => set(e.currentTarget.value)} onBlur={blur}>
        {spec.required ? null : <option value="">(default)</option>}
        {spec.enum?.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  }
  if (control === "checkbox") {
    return <input {...aria} name={name} type="checkbox" checked={text === "true"} onChange={(e) => set(e.currentTarget.checked ? "true" : "false")} />;
  }
  if (control === "json") {
    return <textarea {...aria} name={name} class="mono" rows={4} value={text} onInput={(e) => set(e.currentTarget.value)} onBlur={blur} />;
  }
  if (control === "number") {
    return (
      <input
        {...aria}
        name={name}
        type="number"
        inputMode={spec.type === "integer" ? "numeric" : "decimal"}
        step={spec.type === "integer" ? 1 : "any"}
        min={spec.minimum}
        max={spec.maximum}
        value={text}
        onInput={(e) => set(e.currentTarget.value)}
        onBlur={blur}
      />
    );
  }
  return <input {...aria} name={name} type="text" value={text} onInput={(e) => set(e.currentTarget.value)} onBlur={blur} />;
}

/**
 * One generated field: its label, the control for its spec, its help (the spec's description and
 * limits, or `help` when the caller knows better) and its error.
 */
export function ParamField({
  id,
  name,
  label = name,
  spec,
  text,
  error,
  help = [spec.description, constraintsOf(spec)].filter(Boolean).join(" — "),
  set,
  blur,
}: {
  id: string;
  /** The control's name (the param, or the input field's path). */
  name: string;
  label?: string;
  spec: ParamSpec;
  text: string;
  error: string | undefined;
  help?: string;
  set(value: string): void;
  blur(): void;
}) {
  return (
    <Field id={id} label={label} help={help || undefined} error={error} required={spec.required === true && spec.default === undefined}>
      <ParamInput aria={describedBy(id, error, help !== "")} name={name} spec={spec} text={text} set={set} blur={blur} />
    </Field>
  );
}
