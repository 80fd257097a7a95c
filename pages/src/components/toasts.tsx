/** Short confirmations and failures of actions ("Saved", "Could not cancel: …"), announced to screen readers. */
import { useEffect, useState } from "preact/hooks";

interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

let nextId = 1;
const listeners = new Set<(toasts: Toast[]) => void>();
let toasts: Toast[] = [];

function publish(next: Toast[]): void {
  toasts = next;
  for (const listener of listeners) listener(toasts);
}

export function notify(text: string, kind: Toast["kind"] = "ok"): void {
  const toast = { id: nextId++, kind, text };
  publish([...toasts.slice(-3), toast]);
  setTimeout(() => publish(toasts.filter((t) => t.id !== toast.id)), kind === "error" ? 8000 : 4000);
}

export function Toasts() {
  const [items, setItems] = useState(toasts);
  useEffect(() => {
    listeners.add(setItems);
    return () => void listeners.delete(setItems);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {items.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`}>
          {toast.text}
        </div>
      ))}
    </div>
  );
}
