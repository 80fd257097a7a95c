/** Status pills for executions, steps and agents: one color per status, a pulse on what is running. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <span class={`status status-${status}`} data-status={status}>
      <span class="status-dot" aria-hidden="true" />
      {label ?? status}
    </span>
  );
}
