/**
 * "Fork from here": on a step of an ended execution, starts a new execution from that step with its
 * input edited (or as it was), reusing the outputs of the steps before it. Lives apart from the
 * execution view so that view stays about showing the execution.
 */
import { useState } from "preact/hooks";
import type { StepState } from "../../../shared/execution.ts";
import { baton, describeError, fieldErrors } from "../lib/api.ts";
import { navigate } from "../lib/router.ts";
import { JsonEditor } from "./json-editor.tsx";
import { notify } from "./toasts.tsx";

export function ForkForm({ executionId, step }: { executionId: string; step: StepState }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(step.input ?? {}, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const takesInput = step.type === "agent" && step.items === null;

  async function fork(): Promise<void> {
    let input: unknown;
    if (takesInput) {
      try {
        input = JSON.parse(text);
      } catch (error) {
        return setProblem(`The input is not JSON: ${(error as Error).message}`);
      }
    }
    setBusy(true);
    setProblem(null);
    try {
      const forked = await baton.executions.fork(executionId, { fromStep: step.id, ...(takesInput ? { input } : {}) });
      notify(`Forked from ${step.id}: the steps before it are reused`);
      navigate(`/executions/${encodeURIComponent(forked.id)}`);
    } catch (error) {
      const fields = [...fieldErrors(error)].map(([path, message]) => `${path}: ${message}`);
      setProblem(fields.length > 0 ? fields.join("; ") : describeError(error));
    } finally {
      setBusy(false);
    }
  }

  if (!open) {
    return (
      <button type="button" class="button button-small" data-testid="fork-open" onClick={() => setOpen(true)}>
        Fork from here
      </button>
    );
  }
  return (
    <div class="fork-form" data-testid="fork-form">
      <h3>Fork from {step.id}</h3>
      <p class="muted">The steps before it keep their outputs (no agent call, no cost); this step and those after it run again.</p>
      {takesInput ? <JsonEditor id={`fork-input-${step.id}`} value={text} onInput={setText} issues={[]} /> : <p class="muted">Its input is resolved afresh.</p>}
      {problem ? (
        <div class="notice notice-error" role="alert">
          {problem}
        </div>
      ) : null}
      <div class="actions">
        <button type="button" class="button" disabled={busy} onClick={() => void fork()}>
          {busy ? "Forking…" : "Fork"}
        </button>
        <button type="button" class="button button-quiet" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The text a running step has streamed so far, growing as `step.stream` events arrive. */
export function StreamedText({ text }: { text: string }) {
  return (
    <>
      <h3>Streaming</h3>
      <pre class="streamed-text" data-testid="streamed-text" aria-live="polite">
        {text}
      </pre>
    </>
  );
}
