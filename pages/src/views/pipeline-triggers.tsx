/**
 * The pipeline page's triggers: which inbound triggers start this template, how they authenticate and
 * buffer, where events go, and what became of the latest events each one received. Triggers are defined
 * over the API or `baton triggers put` (their secret must be shown to whoever sets up the sender, once).
 */
import { useState } from "preact/hooks";
import type { Trigger } from "../../../shared/api/triggers.ts";
import { Link } from "../components/link.tsx";
import { DataTable } from "../components/data-table.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { StatusBadge } from "../components/status.tsx";
import { baton } from "../lib/api.ts";
import { formatRelative, formatTime } from "../lib/format.ts";
import { useResource } from "../lib/use-resource.ts";

function modeOf(trigger: Trigger): string {
  if (trigger.debounce) return `debounce by ${trigger.debounce.key}, ${trigger.debounce.periodMs} ms quiet`;
  if (trigger.batch) return `batches of ${trigger.batch.maxSize} or ${trigger.batch.maxWaitMs} ms`;
  return "starts at once";
}

export function PipelineTriggers({ templateId }: { templateId: string }) {
  const triggers = useResource(() => baton.triggers.list({ template: templateId }), [templateId]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div class="panel" data-testid="pipeline-triggers">
      <h2 class="panel-title">Triggers</h2>
      <Guard resource={triggers}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No triggers">
              <p class="muted">
                Let an outside system start this pipeline: <span class="mono">PUT /v1/triggers/&lt;name&gt;</span> or{" "}
                <span class="mono">baton triggers put</span> (docs/triggers.md).
              </p>
            </Empty>
          ) : (
            <ul class="version-list">
              {list.map((trigger) => (
                <li key={trigger.name}>
                  <span class="strong">{trigger.name}</span> <span class="pill">{trigger.auth}</span>
                  <div class="muted">{modeOf(trigger)}</div>
                  <div class="mono muted">POST {trigger.eventsPath}</div>
                  <button
                    type="button"
                    class="button button-small button-quiet"
                    aria-expanded={open === trigger.name}
                    onClick={() => setOpen(open === trigger.name ? null : trigger.name)}
                  >
                    {open === trigger.name ? "Hide deliveries" : "Deliveries"}
                  </button>
                  {open === trigger.name ? <Deliveries name={trigger.name} /> : null}
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </div>
  );
}

function Deliveries({ name }: { name: string }) {
  const page = useResource(() => baton.triggers.deliveries(name, { limit: 20 }), [name], { refreshMs: 5000 });
  return (
    <Guard resource={page}>
      {({ deliveries }) =>
        deliveries.length === 0 ? (
          <p class="muted">No events received yet.</p>
        ) : (
          <DataTable
            testId="trigger-deliveries"
            rows={deliveries}
            rowKey={(d) => d.id}
            rowAttributes={(d) => ({ title: d.detail ?? undefined })}
            columns={[
              { header: "Received", cell: (d) => formatRelative(d.receivedAt), title: (d) => formatTime(d.receivedAt) },
              {
                header: "Status",
                cell: (d) => (
                  <>
                    <StatusBadge status={d.status === "started" ? "completed" : d.status === "refused" ? "failed" : "waiting"} label={d.status} />
                    {d.detail ? <div class="muted">{d.detail}</div> : null}
                  </>
                ),
              },
              {
                header: "Execution",
                cell: (d) =>
                  d.executionId ? (
                    <Link href={`/executions/${encodeURIComponent(d.executionId)}`} class="mono">
                      {d.executionId}
                    </Link>
                  ) : null,
              },
            ]}
          />
        )
      }
    </Guard>
  );
}
