/** Any JSON value, pretty-printed as text (never as HTML), folded when long. */
export function JsonView({ value, label, open }: { value: unknown; label?: string; open?: boolean }) {
  if (value === undefined || value === null) return <p class="muted">{label ? `No ${label.toLowerCase()}.` : "—"}</p>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const lines = text.split("\n").length;
  const pre = <pre class="json">{text}</pre>;
  if (lines <= 12 && text.length < 1200) return pre;
  return (
    <details class="json-fold" open={open}>
      <summary>
        {label ?? "Value"} ({lines} lines)
      </summary>
      {pre}
    </details>
  );
}
