/** The error under a form control or a small form, announced to screen readers when it appears. */
import type { ComponentChildren } from "preact";

export function FieldError({ id, children }: { id?: string; children: ComponentChildren }) {
  if (children === undefined || children === null || children === "" || children === false) return null;
  return (
    <div class="field-error" id={id} role="alert">
      {children}
    </div>
  );
}
