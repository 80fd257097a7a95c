/** Pipelines: every template, with links to edit it and to start it. */
import { useState } from "preact/hooks";
import { DataTable } from "../components/data-table.tsx";
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
            <DataTable
              rows={list}
              rowKey={(t) => t.id}
              rowClass={(t) => (t.archivedAt ? "row-muted" : undefined)}
              columns={[
                {
                  header: "Pipeline",
                  cell: (t) => (
                    <>
                      <Link href={`/pipelines/${encodeURIComponent(t.id)}`} class="strong">
                        {t.name}
                      </Link>
                      <div class="muted mono">{t.id}</div>
                    </>
                  ),
                },
                { header: "Description", cell: (t) => <div class="clamp">{t.description ?? ""}</div> },
                { header: "Version", cell: (t) => `v${t.latestVersion}` },
                { header: "Updated", title: (t) => formatTime(t.updatedAt), cell: (t) => formatRelative(t.updatedAt) },
                {
                  header: "Actions",
                  hidden: true,
                  class: "row-actions",
                  cell: (t) => (
                    <>
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
                    </>
                  ),
                },
              ]}
            />
          )
        }
      </Guard>
    </section>
  );
}
