/** A labelled form control with its help text and its error, wired for screen readers. */
import type { ComponentChildren } from "preact";
import { FieldError } from "./field-error.tsx";

export function Field({
  id,
  label,
  help,
  error,
  required,
  children,
}: {
  id: string;
  label: ComponentChildren;
  help?: ComponentChildren;
  error?: string | undefined;
  required?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label class="field-label" for={id}>
        {label}
        {required ? <span class="required" aria-label="required"> *</span> : null}
      </label>
      {children}
      {help ? (
        <div class="field-help" id={`${id}-help`}>
          {help}
        </div>
      ) : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </div>
  );
}

/** The aria attributes of a control inside `Field`. */
export function describedBy(id: string, error: string | undefined, help: boolean) {
  const ids = [help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": ids || undefined };
}
