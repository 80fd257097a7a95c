/**
 * A pipeline's definition: edit it as JSON with every problem shown at its line as you type (syntax
 * here, everything else by the orchestrator's validator), save it as the next version, look back over
 * its versions with a diff between any two, and archive it. A saved pipeline shows its insights per key;
 * a new one starts from the gallery or a blank starter.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { TemplateRecord } from "../../../shared/api/templates.ts";
import { useConfirm } from "../components/confirm.tsx";
import { type EditorIssue, JsonEditor, revealInEditor } from "../components/json-editor.tsx";
import { GalleryPicker } from "../components/gallery-picker.tsx";
import { InsightsPanel } from "../components/insights-panel.tsx";
import { Link } from "../components/link.tsx";
import { ErrorNotice, Guard, Loading } from "../components/states.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, BatonError, describeError } from "../lib/api.ts";
import { formatRelative, formatTime } from "../lib/format.ts";
import { lineColumn, parseJsonLocated, spanOfPath } from "../lib/json-locate.ts";
import { diffLines } from "../lib/line-diff.ts";
import { navigate } from "../lib/router.ts";
import { useDebounced, useResource } from "../lib/use-resource.ts";
import { PipelineTriggers } from "./pipeline-triggers.tsx";

const starter = `{
  "id": "my-pipeline",
  "name": "My pipeline",
  "description": "What this pipeline does, in a sentence.",
  "params": {
    "name": { "type": "string", "required": true, "description": "Who to greet" }
  },
  "steps": [
    { "id": "greet", "agent": "echo", "input": { "value": "Hello, {{params.name}}" } },
    { "id": "review", "type": "approval", "needs": ["greet"], "message": "Send the greeting?" },
    { "id": "send", "agent": "echo", "needs": ["review"], "input": { "value": "{{steps.greet.output.value}}" } }
  ]
}`;

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

type Verdict =
  | { state: "checking" }
  | { state: "valid" }
  | { state: "invalid"; issues: EditorIssue[] }
  | { state: "unreachable"; error: unknown };

/** The problems of `issues` (path + message) placed in `text`. */
function placeIssues(text: string, issues: { path: string; message: string }[]): EditorIssue[] {
  const parsed = parseJsonLocated(text);
  const spans = parsed.ok ? parsed.spans : new Map();
  return issues.map((issue) => {
    const found = spanOfPath(spans, issue.path);
    const start = found ? (found.exact ? found.span.keyStart ?? found.span.start : found.span.start) : 0;
    const end = found?.exact ? found.span.end : start + 1;
    const message = found && !found.exact && issue.path ? `${issue.path}: ${issue.message}` : issue.message;
    return { path: issue.path, message, start, end, line: lineColumn(text, start).line };
  });
}

export function PipelineEditorView({ id }: { id: string | null }) {
  const record = useResource<TemplateRecord | null>(async () => (id ? baton.templates.get(id) : null), [id]);
  return (
    <Guard resource={record} label="Loading the pipeline…">
      {(loaded) => <Editor key={id ?? "new"} record={loaded} reload={record.reload} />}
    </Guard>
  );
}

function Editor({ record, reload }: { record: TemplateRecord | null; reload(): void }) {
  const savedText = record ? pretty(record.definition) : starter;
  const [text, setText] = useState(savedText);
  const [verdict, setVerdict] = useState<Verdict>({ state: "checking" });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const settled = useDebounced(text, 400);
  const { element: dialog, confirm } = useConfirm();

  useEffect(() => setText(savedText), [savedText]);

  // Syntax is checked here; everything else by the orchestrator, once typing pauses.
  useEffect(() => {
    const parsed = parseJsonLocated(settled);
    if (!parsed.ok) {
      setVerdict({
        state: "invalid",
        issues: [{ path: "", message: parsed.message, start: parsed.offset, end: parsed.offset + 1, line: lineColumn(settled, parsed.offset).line }],
      });
      return;
    }
    const controller = new AbortController();
    setVerdict({ state: "checking" });
    baton.templates
      .validate(parsed.value)
      .then((check) => {
        if (controller.signal.aborted) return;
        setVerdict(check.valid ? { state: "valid" } : { state: "invalid", issues: placeIssues(settled, check.issues) });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setVerdict({ state: "unreachable", error });
      });
    return () => controller.abort();
  }, [settled]);

  const syntaxOk = useMemo(() => parseJsonLocated(text).ok, [text]);
  const dirty = text !== savedText;
  const issues = verdict.state === "invalid" ? verdict.issues : [];

  async function save(): Promise<void> {
    const parsed = parseJsonLocated(text);
    if (!parsed.ok) return;
    setSaving(true);
    setSaveError(null);
    try {
      const draft = parsed.value as Parameters<typeof baton.templates.save>[0];
      const saved = record ? await baton.templates.save(draft) : await baton.templates.create(draft);
      notify(saved.created ? `Saved ${saved.name} as version ${saved.version}` : "Nothing changed: the latest version is the same");
      if (!record || saved.id !== record.id) navigate(`/pipelines/${encodeURIComponent(saved.id)}`);
      else reload();
    } catch (error) {
      if (error instanceof BatonError && Array.isArray(error.details) && error.details.length > 0) {
        setVerdict({ state: "invalid", issues: placeIssues(text, error.details) });
      }
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  async function archive(): Promise<void> {
    if (!record) return;
    const ok = await confirm({
      title: `Archive ${record.name}?`,
      body: "It disappears from the list and can no longer be started. Its history and every version stay.",
      confirmLabel: "Archive",
      danger: true,
    });
    if (!ok) return;
    try {
      await baton.templates.archive(record.id);
      notify(`Archived ${record.name}`);
      navigate("/pipelines");
    } catch (error) {
      notify(`Could not archive: ${describeError(error)}`, "error");
    }
  }

  return (
    <section>
      <div class="page-head">
        <div>
          <div class="crumbs">
            <Link href="/pipelines">Pipelines</Link> /
          </div>
          <h1>{record ? record.name : "New pipeline"}</h1>
          {record ? (
            <p class="muted">
              <span class="mono">{record.id}</span> · version {record.version} · saved {formatRelative(record.versionCreatedAt)} by {record.versionCreatedBy}
            </p>
          ) : (
            <p class="muted">Write the template as JSON; problems show at their line as you type.</p>
          )}
        </div>
        <div class="page-actions">
          {record && !record.archivedAt ? (
            <Link href={`/pipelines/${encodeURIComponent(record.id)}/start`} class="button">
              Start…
            </Link>
          ) : null}
          {record && !record.archivedAt ? (
            <button type="button" class="button button-danger-quiet" onClick={() => void archive()}>
              Archive
            </button>
          ) : null}
          <button type="button" class="button button-primary" disabled={!syntaxOk || saving || (!dirty && record !== null)} onClick={() => void save()}>
            {saving ? "Saving…" : record ? "Save new version" : "Create pipeline"}
          </button>
        </div>
      </div>
      {dialog}
      <div class="editor-layout">
        <div class="editor-main">
          <label class="field-label" for="template-json">
            Definition {dirty ? <span class="pill pill-warn">unsaved changes</span> : null}
          </label>
          <JsonEditor id="template-json" value={text} onInput={setText} issues={issues} textareaRef={area} describedBy="template-verdict" />
        </div>
        <aside class="editor-side">
          <div id="template-verdict" class="panel" aria-live="polite">
            <h2 class="panel-title">Check</h2>
            {verdict.state === "checking" ? <Loading label="Checking…" /> : null}
            {verdict.state === "valid" ? <p class="ok-text">✓ Valid: every step, reference and agent checks out.</p> : null}
            {verdict.state === "unreachable" ? <ErrorNotice error={verdict.error} title="Could not check" /> : null}
            {verdict.state === "invalid" ? (
              <>
                <p class="error-text">
                  {verdict.issues.length} problem{verdict.issues.length === 1 ? "" : "s"}:
                </p>
                <ul class="issue-list">
                  {verdict.issues.map((issue, index) => (
                    <li key={index}>
                      <button type="button" class="issue" onClick={() => revealInEditor(area.current, issue)}>
                        <span class="issue-where">
                          line {issue.line}
                          {issue.path ? <span class="mono"> · {issue.path}</span> : null}
                        </span>
                        <span>{issue.message}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {saveError ? <ErrorNotice error={saveError} title="Not saved" /> : null}
          </div>
          {record ? <Versions record={record} onLoad={(definition) => setText(pretty(definition))} /> : null}
          {record ? <PipelineTriggers templateId={record.id} /> : null}
        </aside>
      </div>
      {record ? <InsightsPanel template={record.definition} /> : <GalleryPicker onPick={(template) => setText(pretty(template))} />}
    </section>
  );
}

function Versions({ record, onLoad }: { record: TemplateRecord; onLoad(definition: unknown): void }) {
  const versions = useResource(() => baton.templates.versions(record.id), [record.id, record.version]);
  const [from, setFrom] = useState(Math.max(1, record.latestVersion - 1));
  const [to, setTo] = useState(record.latestVersion);
  useEffect(() => {
    setFrom(Math.max(1, record.latestVersion - 1));
    setTo(record.latestVersion);
  }, [record.latestVersion]);
  const pair = useResource(
    async () => (from === to ? null : Promise.all([baton.templates.get(record.id, { version: from }), baton.templates.get(record.id, { version: to })])),
    [record.id, from, to],
  );
  const diff = useMemo(() => (pair.data ? diffLines(pretty(pair.data[0].definition), pretty(pair.data[1].definition)) : []), [pair.data]);

  return (
    <div class="panel">
      <h2 class="panel-title">Versions</h2>
      <Guard resource={versions}>
        {(list) => (
          <>
            <ol class="version-list">
              {list.map((v) => (
                <li key={v.version}>
                  <span class="strong">v{v.version}</span>{" "}
                  <span class="muted" title={formatTime(v.createdAt)}>
                    {formatRelative(v.createdAt)} · {v.createdBy}
                  </span>
                  <button
                    type="button"
                    class="button button-small button-quiet"
                    onClick={() => void baton.templates.get(record.id, { version: v.version }).then((r) => onLoad(r.definition))}
                    aria-label={`Load version ${v.version} into the editor`}
                  >
                    Load
                  </button>
                </li>
              ))}
            </ol>
            {list.length > 1 ? (
              <div class="diff-controls">
                <label>
                  Compare <VersionSelect versions={list} value={from} onChange={setFrom} label="Older version" />
                </label>
                <label>
                  with <VersionSelect versions={list} value={to} onChange={setTo} label="Newer version" />
                </label>
              </div>
            ) : (
              <p class="muted">One version so far. Each save that changes the definition adds one; executions keep the version they started with.</p>
            )}
          </>
        )}
      </Guard>
      {versions.data && versions.data.length > 1 ? (
        <Guard resource={pair} label="Comparing…">
          {() =>
            from === to ? (
              <p class="muted">Pick two different versions.</p>
            ) : diff.every((line) => line.kind === "same" || line.kind === "fold") ? (
              <p class="muted">These versions are the same.</p>
            ) : (
              <div class="diff" role="table" aria-label={`Changes from v${from} to v${to}`}>
                {diff.map((line, index) =>
                  line.kind === "fold" ? (
                    <div key={index} class="diff-fold" role="row">
                      <span role="cell">⋯ {line.count} unchanged lines</span>
                    </div>
                  ) : (
                    <div key={index} class={`diff-line diff-${line.kind}`} role="row">
                      <span class="diff-sign" role="cell" aria-label={line.kind}>
                        {line.kind === "added" ? "+" : line.kind === "removed" ? "−" : " "}
                      </span>
                      <span class="diff-text" role="cell">
                        {line.text}
                      </span>
                    </div>
                  ),
                )}
              </div>
            )
          }
        </Guard>
      ) : null}
    </div>
  );
}

function VersionSelect({ versions, value, onChange, label }: { versions: { version: number }[]; value: number; onChange(version: number): void; label: string }) {
  return (
    <select value={value} onChange={(e) => onChange(Number(e.currentTarget.value))} aria-label={label}>
      {versions.map((v) => (
        <option key={v.version} value={v.version}>
          v{v.version}
        </option>
      ))}
    </select>
  );
}
