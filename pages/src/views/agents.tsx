/**
 * Agents: one card per agent with its health, latency, success rate, p95 duration and the steps it runs
 * now; run one directly, check one now, enable or disable it, and register an agent that lives outside
 * the account (HTTP).
 */
import { useState } from "preact/hooks";
import type { AgentSummary } from "../../../shared/api/agents.ts";
import { useConfirm } from "../components/confirm.tsx";
import { describedBy, Field } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { Empty, ErrorNotice, Guard } from "../components/states.tsx";
import { StatusBadge } from "../components/status.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, describeError, extra, fieldErrors } from "../lib/api.ts";
import { formatDuration, formatPercent, formatRelative, formatTime, formatUsd } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { useNow, useResource, useThrottled } from "../lib/use-resource.ts";
import { useSubmission } from "../lib/use-submission.ts";

export function AgentsView() {
  const agents = useResource(() => baton.agents.list(), [], { refreshMs: 10_000 });
  const reload = useThrottled(agents.reload, 3000);
  useLiveEvents(() => reload());
  const [registering, setRegistering] = useState(false);

  return (
    <section>
      <div class="page-head">
        <h1>Agents</h1>
        <div class="page-actions">
          <button type="button" class={registering ? "button" : "button button-primary"} aria-expanded={registering} onClick={() => setRegistering(!registering)}>
            {registering ? "Close" : "Register HTTP agent"}
          </button>
        </div>
      </div>
      {registering ? (
        <RegisterForm
          onRegistered={() => {
            setRegistering(false);
            agents.reload();
          }}
        />
      ) : null}
      <Guard resource={agents} label="Loading agents…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No agents">Agents bound to the orchestrator appear here; agents elsewhere can be registered by URL.</Empty>
          ) : (
            <div class="card-grid">
              {list.map((agent) => (
                <AgentCard key={agent.name} agent={agent} onChange={agents.reload} />
              ))}
            </div>
          )
        }
      </Guard>
    </section>
  );
}

function AgentCard({ agent, onChange }: { agent: AgentSummary; onChange(): void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const { element: dialog, confirm } = useConfirm();
  const now = useNow(5000);
  const day = agent.metrics.last24h;
  const circuitOpen = agent.circuitOpenUntil !== null && agent.circuitOpenUntil > now;

  async function run(label: string, action: () => Promise<unknown>, done: string): Promise<void> {
    setBusy(label);
    try {
      await action();
      notify(done);
      onChange();
    } catch (error) {
      notify(`Could not ${label}: ${describeError(error)}`, "error");
    } finally {
      setBusy(null);
    }
  }

  async function remove(): Promise<void> {
    const ok = await confirm({
      title: `Remove ${agent.name}?`,
      body: "Templates that use it can no longer start until it is registered again.",
      confirmLabel: "Remove",
      danger: true,
    });
    if (ok) await run("remove", () => baton.agents.remove(agent.name), `Removed ${agent.name}`);
  }

  return (
    <article class={`card agent-card agent-${agent.status}`} aria-labelledby={`agent-${agent.name}`}>
      {dialog}
      <header class="card-head">
        <h2 id={`agent-${agent.name}`} class="card-title">
          {agent.name}
        </h2>
        <StatusBadge status={agent.status} />
      </header>
      <p class="muted card-sub">
        {agent.kind === "http" ? "HTTP" : "service binding"}
        {agent.version ? ` · v${agent.version}` : ""}
        {agent.url ? <span class="mono"> · {agent.url}</span> : null}
      </p>
      {agent.description ? <p class="clamp">{agent.description}</p> : null}
      <dl class="stats stats-compact">
        <div>
          <dt>Latency</dt>
          <dd>{agent.latencyMs === null ? "—" : `${agent.latencyMs} ms`}</dd>
        </div>
        <div>
          <dt>Success 24 h</dt>
          <dd title={`${day.succeeded} of ${day.runs} runs`}>{formatPercent(day.successRate)}</dd>
        </div>
        <div>
          <dt>p95</dt>
          <dd>{formatDuration(day.p95DurationMs)}</dd>
        </div>
        <div>
          <dt>Runs 24 h</dt>
          <dd>{day.runs}</dd>
        </div>
        <div>
          <dt>Cost 24 h</dt>
          <dd>{formatUsd(day.costUsd)}</dd>
        </div>
      </dl>
      {agent.activeSteps.length > 0 ? (
        <div class="card-section">
          <div class="field-label">Working on</div>
          <ul class="plain">
            {agent.activeSteps.map((step) => (
              <li key={`${step.executionId}:${step.stepId}`}>
                <Link href={`/executions/${encodeURIComponent(step.executionId)}`} class="mono">
                  {step.stepId}
                </Link>{" "}
                <StatusBadge status={step.status} />
                {step.waitingFor ? <span class="muted"> {step.waitingFor}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="muted card-section">Idle</p>
      )}
      {circuitOpen ? <p class="notice notice-warn">Circuit open until {formatTime(agent.circuitOpenUntil)}: its steps wait.</p> : null}
      {agent.lastError ? (
        <p class="notice notice-error">
          Last error ({agent.consecutiveFailures} in a row): {agent.lastError}
        </p>
      ) : null}
      <p class="muted small">Checked {formatRelative(agent.lastCheckedAt, now)}</p>
      <div class="card-actions">
        {agent.enabled ? (
          <Link href={`/agents/${encodeURIComponent(agent.name)}/run`} class="button button-small button-primary" aria-label={`Run ${agent.name}`}>
            Run
          </Link>
        ) : null}
        <button type="button" class="button button-small" disabled={busy !== null} onClick={() => void run("check", () => baton.agents.check(agent.name), `Checked ${agent.name}`)}>
          {busy === "check" ? "Checking…" : "Check now"}
        </button>
        <button
          type="button"
          class="button button-small"
          disabled={busy !== null}
          onClick={() =>
            void run(agent.enabled ? "disable" : "enable", () => extra.setAgentEnabled(agent.name, !agent.enabled), `${agent.enabled ? "Disabled" : "Enabled"} ${agent.name}`)
          }
        >
          {agent.enabled ? "Disable" : "Enable"}
        </button>
        {agent.kind === "http" ? (
          <button type="button" class="button button-small button-danger-quiet" disabled={busy !== null} onClick={() => void remove()}>
            Remove
          </button>
        ) : null}
      </div>
    </article>
  );
}

function RegisterForm({ onRegistered }: { onRegistered(): void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const { errors, setErrors, failure, setFailure, busy, setBusy } = useSubmission();

  function check(): Map<string, string> {
    const found = new Map<string, string>();
    if (!/^[a-z][a-z0-9-]{0,63}$/.test(name)) found.set("name", "Use 1-64 lowercase letters, digits or '-', starting with a letter.");
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") found.set("url", "Use an http(s) URL.");
    } catch {
      found.set("url", "Enter the agent's base URL, e.g. https://agent.example.com.");
    }
    return found;
  }

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const found = check();
    setErrors(found);
    setFailure(null);
    if (found.size > 0) {
      document.getElementById(`agent-${[...found.keys()][0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const agent = await baton.agents.register({ name, url, ...(description.trim() ? { description: description.trim() } : {}) });
      notify(`Registered ${agent.name} (${agent.status})`);
      onRegistered();
    } catch (error) {
      const fields = fieldErrors(error);
      setErrors(fields);
      if (![...fields.keys()].some((k) => k === "name" || k === "url" || k === "description")) setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel form" onSubmit={(e) => void submit(e)} noValidate>
      <h2 class="panel-title">Register an HTTP agent</h2>
      <p class="muted">Baton calls GET {"{url}"}/health, GET {"{url}"}/describe and POST {"{url}"}/run.</p>
      <div class="form-row">
        <Field id="agent-name" label="Name" error={errors.get("name")} required help="How templates refer to it.">
          <input {...describedBy("agent-name", errors.get("name"), true)} value={name} onInput={(e) => setName(e.currentTarget.value)} autoComplete="off" />
        </Field>
        <Field id="agent-url" label="Base URL" error={errors.get("url")} required>
          <input {...describedBy("agent-url", errors.get("url"), false)} type="url" value={url} placeholder="https://agent.example.com" onInput={(e) => setUrl(e.currentTarget.value)} />
        </Field>
      </div>
      <Field id="agent-description" label="Description" error={errors.get("description")} help="Shown instead of the agent's own.">
        <input {...describedBy("agent-description", errors.get("description"), true)} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      {failure ? <ErrorNotice error={failure} title="Not registered" /> : null}
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? "Registering…" : "Register"}
        </button>
      </div>
    </form>
  );
}
