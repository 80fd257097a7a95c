/** Pipelines: every template, with links to edit it and to start it. */
import { useState } from "preact/hooks";
import { Link } from "../components/link.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { baton } from "../lib/api.ts";
import { formatRelative, formatTime } from "../lib/format.ts";
import { useResource } from "../lib/use-resource.ts";

export function PipelinesView() {
  const [archived, setArchived] = useState(false);
  const templates = useResource(() => baton.templates.list({ includeArchived: archived }), [archived]);
  return (
    <section>
      <div class="page-head">
        <h1>Pipelines</h1>
        <div class="page-actions">
          <label class="check">
            <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
            Show archived
          </label>
          <Link href="/pipelines/new" class="button button-primary">
            New pipeline
          </Link>
        </div>
      </div>
      <Guard resource={templates} label="Loading pipelines…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No pipelines yet">
              A pipeline is a template of steps, each done by an agent. <Link href="/pipelines/new">Write the first one</Link>.
            </Empty>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Pipeline</th>
                    <th scope="col">Description</th>
                    <th scope="col">Version</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <tr key={t.id} class={t.archivedAt ? "row-muted" : ""}>
                      <td>
                        <Link href={`/pipelines/${encodeURIComponent(t.id)}`} class="strong">
                          {t.name}
                        </Link>
                        <div class="muted mono">{t.id}</div>
                      </td>
                      <td>
                        <div class="clamp">{t.description ?? ""}</div>
                      </td>
                      <td>v{t.latestVersion}</td>
                      <td title={formatTime(t.updatedAt)}>{formatRelative(t.updatedAt)}</td>
                      <td class="row-actions">
                        {t.archivedAt ? (
                          <span class="muted">archived</span>
                        ) : (
                          <Link href={`/pipelines/${encodeURIComponent(t.id)}/start`} class="button button-small button-primary" aria-label={`Start ${t.name}`}>
                            Start
                          </Link>
                        )}
                        <Link href={`/pipelines/${encodeURIComponent(t.id)}`} class="button button-small" aria-label={`Edit ${t.name}`}>
                          Edit
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Guard>
    </section>
  );
}
