/** The states every view shows before, instead of, or next to its data: loading, empty, and failed. */
import type { ComponentChildren } from "preact";
import { describeError } from "../lib/api.ts";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function ErrorNotice({ error, retry, title = "Something went wrong" }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div class="notice notice-error" role="alert">
      <strong>{title}.</strong> <span>{describeError(error)}</span>
      {retry ? (
        <button type="button" class="button button-small" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Loading until the first answer; the error (with a retry) if it failed; otherwise the content. */
export function Guard<T>({
  resource,
  children,
  label,
}: {
  resource: { data: T | undefined; error: unknown; loading: boolean; reload(): void };
  children: (data: T) => ComponentChildren;
  label?: string;
}) {
  if (resource.data !== undefined) {
    return (
      <>
        {resource.error ? <ErrorNotice error={resource.error} retry={resource.reload} title="Could not refresh" /> : null}
        {children(resource.data)}
      </>
    );
  }
  if (resource.error) return <ErrorNotice error={resource.error} retry={resource.reload} title="Could not load this" />;
  return <Loading {...(label ? { label } : {})} />;
}
