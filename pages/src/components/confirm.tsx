/**
 * Confirmation for actions that cannot be undone: a modal `<dialog>` (focus stays inside, Esc cancels),
 * optionally asking for a reason or for a word to be typed first.
 */
import { useRef, useState } from "preact/hooks";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  /** Ask for an optional reason (sent with the action). */
  reason?: boolean;
  /** The word to type before the action is allowed (e.g. "STOP"). */
  typeToConfirm?: string;
}

type Pending = ConfirmOptions & { resolve(result: { reason: string } | null): void };

/** The dialog element to render, and `confirm()` which resolves with the reason, or null when cancelled. */
export function useConfirm() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const dialog = useRef<HTMLDialogElement>(null);

  function confirm(options: ConfirmOptions): Promise<{ reason: string } | null> {
    return new Promise((resolve) => {
      setReason("");
      setTyped("");
      setPending({ ...options, resolve });
      queueMicrotask(() => dialog.current?.showModal());
    });
  }

  function finish(result: { reason: string } | null): void {
    pending?.resolve(result);
    setPending(null);
    dialog.current?.close();
  }

  const blocked = pending?.typeToConfirm !== undefined && typed.trim() !== pending.typeToConfirm;
  const element = (
    <dialog ref={dialog} class="dialog" aria-labelledby="confirm-title" onCancel={() => finish(null)}>
      {pending ? (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            if (!blocked) finish({ reason: reason.trim() });
          }}
        >
          <h2 id="confirm-title">{pending.title}</h2>
          <p>{pending.body}</p>
          {pending.reason ? (
            <label class="field">
              <span class="field-label">Reason (optional)</span>
              <input type="text" value={reason} maxLength={2000} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          ) : null}
          {pending.typeToConfirm ? (
            <label class="field">
              <span class="field-label">
                Type <kbd>{pending.typeToConfirm}</kbd> to confirm
              </span>
              <input type="text" value={typed} autoComplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />
            </label>
          ) : null}
          <div class="actions">
            <button type="button" class="button" onClick={() => finish(null)}>
              Cancel
            </button>
            <button type="submit" class={`button ${pending.danger ? "button-danger" : "button-primary"}`} disabled={blocked}>
              {pending.confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
  return { element, confirm };
}
