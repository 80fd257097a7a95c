/**
 * Config: the limits, budgets and run mode, checked as you type against the same schema the API uses,
 * saved with a confirmation; changes apply at once, without a restart. Admins also manage users here;
 * below, the API tokens with their scope and expiry.
 */
import { useEffect, useState } from "preact/hooks";
import type { BatonConfig, ConfigPatch, RunMode } from "../../../shared/config.ts";
import { describedBy, Field } from "../components/field.tsx";
import { ErrorNotice, Guard } from "../components/states.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, fieldErrors } from "../lib/api.ts";
import { formatClock } from "../lib/format.ts";
import { useSignedInUser } from "../lib/session.ts";
import { useResource } from "../lib/use-resource.ts";
import { UsersPanel } from "./users-panel.tsx";
import { TokensPanel } from "./tokens-panel.tsx";

const modes: { value: RunMode; title: string; text: string }[] = [
  { value: "auto", title: "Automatic", text: "Schedules run, and starts run as soon as a slot is free." },
  { value: "approval", title: "Approval", text: "Every start, scheduled or manual, first waits for an admin's approval." },
  { value: "manual", title: "Manual", text: "Schedules are paused; manual starts still run." },
];

interface Draft {
  globalConcurrency: string;
  defaultExecutionBudgetUsd: string;
  dailyBudgetUsd: string;
  templateBudgets: { template: string; amount: string }[];
  mode: RunMode;
}

function draftOf(config: BatonConfig): Draft {
  return {
    globalConcurrency: String(config.globalConcurrency),
    defaultExecutionBudgetUsd: config.defaultExecutionBudgetUsd === null ? "" : String(config.defaultExecutionBudgetUsd),
    dailyBudgetUsd: config.dailyBudgetUsd === null ? "" : String(config.dailyBudgetUsd),
    templateBudgets: Object.entries(config.templateDailyBudgetsUsd).map(([template, amount]) => ({ template, amount: String(amount) })),
    mode: config.mode,
  };
}

/** A number typed into a field: null when empty (where empty is allowed), or what is wrong with it. */
function readNumber(text: string, rule: { whole?: boolean; emptyIsNull?: boolean }): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return rule.emptyIsNull ? null : "Enter a number.";
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return "Enter a number.";
  if (rule.whole && !Number.isInteger(value)) return "Enter a whole number.";
  if (value <= 0) return rule.whole ? "At least 1." : "More than 0, or empty for no limit.";
  return value;
}

/**
 * The patch a draft stands for, and what is plainly wrong with it (not a number, not positive), by
 * field path. The limits themselves are the API's to check: its answer names the field, shown there.
 */
function readDraft(draft: Draft): { patch: ConfigPatch; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const take = (path: string, text: string, rule: { whole?: boolean; emptyIsNull?: boolean }): number | null => {
    const value = readNumber(text, rule);
    if (typeof value === "string") {
      errors.set(path, value);
      return null;
    }
    return value;
  };
  const budgets: Record<string, number> = {};
  draft.templateBudgets.forEach((row, index) => {
    const template = row.template.trim();
    if (template === "" && row.amount.trim() === "") return;
    if (template === "") errors.set(`templateBudgets.${index}.template`, "Choose a pipeline.");
    else if (template in budgets) errors.set(`templateBudgets.${index}.template`, "This pipeline has a budget already.");
    const amount = take(`templateBudgets.${index}.amount`, row.amount, {});
    if (template !== "" && amount !== null) budgets[template] = amount;
  });
  const patch: ConfigPatch = {
    globalConcurrency: take("globalConcurrency", draft.globalConcurrency, { whole: true }) ?? 0,
    defaultExecutionBudgetUsd: take("defaultExecutionBudgetUsd", draft.defaultExecutionBudgetUsd, { emptyIsNull: true }),
    dailyBudgetUsd: take("dailyBudgetUsd", draft.dailyBudgetUsd, { emptyIsNull: true }),
    templateDailyBudgetsUsd: budgets,
    mode: draft.mode,
  };
  return { patch, errors };
}

export function ConfigView() {
  const config = useResource(() => baton.config.get(), []);
  const user = useSignedInUser();
  return (
    <section>
      <div class="page-head">
        <h1>Config</h1>
      </div>
      <Guard resource={config} label="Loading the configuration…">
        {(loaded) => <ConfigForm config={loaded} onSaved={config.setData} />}
      </Guard>
      <TokensPanel />
      {user?.role === "admin" ? <UsersPanel me={user.email} /> : null}
    </section>
  );
}

function ConfigForm({ config, onSaved }: { config: BatonConfig; onSaved(config: BatonConfig): void }) {
  const [draft, setDraft] = useState(() => draftOf(config));
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const templates = useResource(() => baton.templates.list(), []);
  const { patch, errors } = readDraft(draft);
  const dirty = JSON.stringify(draftOf(config)) !== JSON.stringify(draft);

  useEffect(() => setServerErrors(new Map()), [draft]);

  const errorOf = (path: string) => (showErrors ? errors.get(path) : undefined) ?? serverErrors.get(path);
  const set = (changes: Partial<Draft>) => {
    setDraft({ ...draft, ...changes });
    setShowErrors(true);
    setSavedAt(null);
  };

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    setShowErrors(true);
    setFailure(null);
    if (errors.size > 0) {
      const first = document.querySelector<HTMLElement>("[aria-invalid='true']");
      first?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = await baton.config.update(patch);
      onSaved(saved);
      setDraft(draftOf(saved));
      setShowErrors(false);
      setSavedAt(Date.now());
      notify("Configuration saved");
    } catch (error) {
      const fields = fieldErrors(error);
      const mapped = new Map<string, string>();
      for (const [path, message] of fields) {
        if (path.startsWith("templateDailyBudgetsUsd.")) {
          const index = draft.templateBudgets.findIndex((row) => row.template === path.slice("templateDailyBudgetsUsd.".length));
          mapped.set(`templateBudgets.${index}.amount`, message);
        } else mapped.set(path, message);
      }
      setServerErrors(mapped);
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  const field = (path: keyof Draft & string, label: string, help: string, placeholder?: string) => {
    const id = `config-${path}`;
    const error = errorOf(path);
    return (
      <Field id={id} label={label} help={help} error={error}>
        <input
          {...describedBy(id, error, true)}
          type="number"
          inputMode="decimal"
          step="any"
          min={0}
          placeholder={placeholder}
          value={draft[path] as string}
          onInput={(e) => set({ [path]: e.currentTarget.value })}
        />
      </Field>
    );
  };

  return (
    <form class="panel form config-form" onSubmit={(e) => void save(e)} noValidate>
      <h2 class="panel-title">Limits</h2>
      {field("globalConcurrency", "Executions at once", "Across all pipelines; more wait in the queue. 1 to 1,000,000.")}
      <h2 class="panel-title">Budgets (USD)</h2>
      {field("defaultExecutionBudgetUsd", "Per execution, by default", "For pipelines that set no budget.maxCostUsd. Empty: no limit.", "no limit")}
      {field("dailyBudgetUsd", "Per day, all pipelines", "Starts are refused once today's spend (UTC) reaches it. Empty: no limit.", "no limit")}
      <fieldset class="fieldset">
        <legend class="field-label">Per day, per pipeline</legend>
        {draft.templateBudgets.length === 0 ? <p class="muted">No pipeline has a daily budget of its own.</p> : null}
        {draft.templateBudgets.map((row, index) => {
          const templateError = errorOf(`templateBudgets.${index}.template`);
          const amountError = errorOf(`templateBudgets.${index}.amount`);
          const update = (changes: Partial<Draft["templateBudgets"][number]>) =>
            set({ templateBudgets: draft.templateBudgets.map((r, i) => (i === index ? { ...r, ...changes } : r)) });
          return (
            <div key={index} class="form-row budget-row">
              <Field id={`budget-template-${index}`} label="Pipeline" error={templateError}>
                <select {...describedBy(`budget-template-${index}`, templateError, false)} value={row.template} onChange={(e) => update({ template: e.currentTarget.value })}>
                  <option value="">Choose…</option>
                  {[...new Set([...(templates.data ?? []).map((t) => t.id), ...(row.template ? [row.template] : [])])].map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`budget-amount-${index}`} label="USD per day" error={amountError}>
                <input
                  {...describedBy(`budget-amount-${index}`, amountError, false)}
                  type="number"
                  step="any"
                  min={0}
                  value={row.amount}
                  onInput={(e) => update({ amount: e.currentTarget.value })}
                />
              </Field>
              <button
                type="button"
                class="button button-small button-quiet"
                aria-label={`Remove the budget of ${row.template || "this pipeline"}`}
                onClick={() => set({ templateBudgets: draft.templateBudgets.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            </div>
          );
        })}
        <button type="button" class="button button-small" onClick={() => set({ templateBudgets: [...draft.templateBudgets, { template: "", amount: "" }] })}>
          Add a pipeline budget
        </button>
      </fieldset>
      <fieldset class="fieldset">
        <legend class="field-label">Run mode</legend>
        <div class="radio-cards">
          {modes.map((mode) => (
            <label key={mode.value} class={`radio-card${draft.mode === mode.value ? " checked" : ""}`}>
              <input type="radio" name="mode" value={mode.value} checked={draft.mode === mode.value} onChange={() => set({ mode: mode.value })} />
              <span>
                <strong>{mode.title}</strong>
                <span class="muted">{mode.text}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {failure && serverErrors.size === 0 ? <ErrorNotice error={failure} title="Not saved" /> : null}
      <div class="actions">
        <span role="status" class="saved-note">
          {savedAt ? `✓ Saved at ${formatClock(savedAt)}; in effect now.` : dirty ? "Unsaved changes" : ""}
        </span>
        <button
          type="button"
          class="button"
          disabled={!dirty || saving}
          onClick={() => {
            setDraft(draftOf(config));
            setShowErrors(false);
          }}
        >
          Discard
        </button>
        <button type="submit" class="button button-primary" disabled={saving || !dirty}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
