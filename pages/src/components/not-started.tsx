/**
 * Why a start (of a pipeline, or of one agent's run) was refused, for what the form could not show at
 * one of its own fields: each such problem with its path, or else the refusal itself.
 */
import { ErrorNotice } from "./states.tsx";

export function NotStarted({
  unplaced,
  failure,
  anyPlaced,
}: {
  /** Problems with no field of the form to show them at: [path as shown, message]. */
  unplaced: readonly (readonly [string, string])[];
  failure: unknown;
  /** Some problem is already shown at its field, which says more than the refusal's message. */
  anyPlaced: boolean;
}) {
  if (unplaced.length > 0) {
    return (
      <div class="notice notice-error" role="alert">
        <strong>Not started.</strong>
        <ul>
          {unplaced.map(([path, message]) => (
            <li key={path}>
              <span class="mono">{path}</span>: {message}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return failure && !anyPlaced ? <ErrorNotice error={failure} title="Not started" /> : null;
}
