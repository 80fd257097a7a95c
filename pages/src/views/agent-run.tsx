/**
 * Running an agent directly: a form generated from the agent's input schema (the start form's controls,
 * enums as selects, nested objects as groups) or raw JSON, retries if asked for, and the run itself,
 * which opens the live execution. Problems the orchestrator finds are shown at their field.
 */
import { useMemo, useState } from "preact/hooks";
import type { AgentDetail } from "../../../shared/api/agents.ts";
import { describedBy, Field } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { NotStarted } from "../components/not-started.tsx";
import { ParamField } from "../components/param-input.tsx";
import { Guard } from "../components/states.tsx";
import { baton, fieldErrors } from "../lib/api.ts";
import { navigate } from "../lib/router.ts";
import { initialTexts, readInput, type SchemaField, schemaFields } from "../lib/schema-form.ts";
import { useResource } from "../lib/use-resource.ts";
import { useSubmission } from "../lib/use-submission.ts";

export function AgentRunView({ name }: { name: string }) {
  const agent = useResource(() => baton.agents.get(name), [name]);
  return (
    <section>
      <div class="crumbs">
        <Link href="/agents">Agents</Link> / {name} /
      </div>
      <Guard resource={agent} label="Loading the agent…">
        {(loaded) => <RunForm agent={loaded} />}
      </Guard>
    </section>
  );
}

function RunForm({ agent }: { agent: AgentDetail }) {
  const fields = useMemo(() => schemaFields(agent.inputSchema), [agent.inputSchema]);
  const [texts, setTexts] = useState<Record<string, string>>(() => (fields ? initialTexts(fields) : {}));
  const [raw, setRaw] = useState<string | null>(fields ? null : "{}");
  const [retries, setRetries] = useState("0");
  const { errors, setErrors, failure, setFailure, busy, setBusy } = useSubmission();

  function currentInput(): { ok: true; value: unknown } | { ok: false } {
    if (raw !== null) {
      try {
        return { ok: true, value: JSON.parse(raw) };
      } catch (error) {
        setErrors(new Map([["", `Not JSON: ${error instanceof Error ? error.message : String(error)}`]]));
        return { ok: false };
      }
    }
    const reading = readInput(fields ?? [], texts);
    if (!reading.ok) {
      setErrors(reading.errors);
      document.getElementById(`input-${[...reading.errors.keys()][0]}`)?.focus();
      return { ok: false };
    }
    return reading;
  }

  function toggleRaw(): void {
    // A problem found in one mode says nothing about the other.
    setErrors(new Map());
    if (raw !== null) {
      setRaw(null);
      return;
    }
    const reading = readInput(fields ?? [], texts);
    setRaw(JSON.stringify(reading.ok ? reading.value : {}, null, 2));
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setErrors(new Map());
    setFailure(null);
    const input = currentInput();
    if (!input.ok) return;
    const limit = Number(retries);
    setBusy(true);
    try {
      const started = await baton.agents.run(agent.name, {
        input: input.value,
        ...(Number.isInteger(limit) && limit > 0 ? { retry: { limit } } : {}),
      });
      navigate(`/executions/${encodeURIComponent(started.id)}`);
    } catch (error) {
      const found = new Map([...fieldErrors(error)].map(([path, message]) => [path.replace(/^input\.?/, ""), message]));
      setErrors(found);
      setFailure(error);
      setBusy(false);
    }
  }

  const placed = (key: string) => raw === null && fields !== null && valueKeys(fields).includes(key);
  const unplaced = [...errors].filter(([key]) => !placed(key));

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Run {agent.name}</h1>
          <p class="muted">{agent.description ?? "One run of the agent, as a one-step execution you can follow live."}</p>
        </div>
      </div>
      <form class="panel form" onSubmit={(e) => void submit(e)} noValidate aria-label={`Run ${agent.name}`}>
        <div class="panel-title-row">
          <h2 class="panel-title">Input</h2>
          {fields ? (
            <button type="button" class="button button-small" onClick={toggleRaw}>
              {raw === null ? "Edit as JSON" : "Use the form"}
            </button>
          ) : null}
        </div>
        {raw !== null ? (
          <Field id="input-raw" label="Input (JSON)" help={fields ? undefined : "This agent's schema has no fields to make a form from."} error={errors.get("")}>
            <textarea {...describedBy("input-raw", errors.get(""), !fields)} class="mono" rows={10} value={raw} onInput={(e) => setRaw(e.currentTarget.value)} />
          </Field>
        ) : (
          <SchemaFields fields={fields ?? []} texts={texts} errors={errors} onText={(key, value) => {
              setTexts({ ...texts, [key]: value });
              if (errors.has(key)) setErrors(new Map([...errors].filter(([k]) => k !== key)));
            }}
          />
        )}
        <details class="more">
          <summary>Retries</summary>
          <Field id="run-retries" label="Retries" help="Attempts after the first if it fails; none unless you ask.">
            <input {...describedBy("run-retries", undefined, true)} type="number" min={0} max={10} step={1} value={retries} onInput={(e) => setRetries(e.currentTarget.value)} />
          </Field>
        </details>
        <NotStarted unplaced={unplaced.map(([path, message]) => [`input${path ? `.${path}` : ""}`, message])} failure={failure} anyPlaced={errors.size > 0} />
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Starting…" : `Run ${agent.name}`}
          </button>
        </div>
      </form>
    </>
  );
}

function valueKeys(fields: readonly SchemaField[]): string[] {
  return fields.flatMap((field) => (field.kind === "value" ? [field.key] : valueKeys(field.fields)));
}

function SchemaFields({
  fields,
  texts,
  errors,
  onText,
}: {
  fields: readonly SchemaField[];
  texts: Record<string, string>;
  errors: Map<string, string>;
  onText(key: string, value: string): void;
}) {
  return (
    <>
      {fields.map((field) => {
        if (field.kind === "group") {
          return (
            <fieldset key={field.key} class="field-group">
              <legend class="field-label">{field.name}</legend>
              {field.description ? <p class="field-help">{field.description}</p> : null}
              <SchemaFields fields={field.fields} texts={texts} errors={errors} onText={onText} />
            </fieldset>
          );
        }
        return (
          <ParamField
            key={field.key}
            id={`input-${field.key}`}
            name={field.key}
            label={field.name}
            spec={field.spec}
            text={texts[field.key] ?? ""}
            error={errors.get(field.key)}
            {...(field.anyJson ? { help: [field.spec.description, "JSON, or plain text"].filter(Boolean).join(" — ") } : {})}
            set={(value) => onText(field.key, value)}
            blur={() => {}}
          />
        );
      })}
    </>
  );
}
