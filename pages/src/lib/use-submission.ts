/**
 * The state a form that sends something keeps between its submit and the answer: the problems found,
 * by field path (`""` for the form as a whole), the refusal itself, and whether a send is under way.
 */
import { useState } from "preact/hooks";

export function useSubmission() {
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return { errors, setErrors, failure, setFailure, busy, setBusy };
}
