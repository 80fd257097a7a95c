/**
 * The queue: what runs now, and what waits to run with its position and the reason it waits (a limit,
 * a concurrency key, a rate limit); reprioritize or remove what waits; pause everything, or stop
 * everything at once in an emergency.
 */
import { useState } from "preact/hooks";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/data-table.tsx";
import { FieldError } from "../components/field-error.tsx";
import { Link } from "../components/link.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, describeError, extra } from "../lib/api.ts";
import { formatDuration, formatRelative, formatTime } from "../lib/format.ts";
import { useLiveEvents } from "../lib/live.ts";
import { useNow, useResource, useThrottled } from "../lib/use-resource.ts";

export function QueueView() {
  const queue = useResource(async () => await baton.queue(), [], { refreshMs: 5000 });
  const reload = useThrottled(queue.reload, 400);
  useLiveEvents(() => reload());
  const { element: dialog, confirm } = useConfirm();
  const now = useNow(1000);

  async function pauseAll(): Promise<void> {
    const answer = await confirm({
      title: "Pause every execution?",
      body: "Every queued, running or waiting execution is paused: running steps finish, nothing new starts. Each can be resumed later.",
      confirmLabel: "Pause all",
      danger: true,
      reason: true,
    });
    if (!answer) return;
    try {
      const result = await baton.executions.pauseAll(answer.reason ? { reason: answer.reason } : {});
      notify(`Paused ${result.affected.length} execution${result.affected.length === 1 ? "" : "s"}`);
      queue.reload();
    } catch (error) {
      notify(`Could not pause: ${describeError(error)}`, "error");
    }
  }

  async function emergencyStop(): Promise<void> {
    const answer = await confirm({
      title: "Emergency stop",
      body: "Every execution that has not ended is cancelled now, running steps included. This cannot be undone (failed and cancelled executions can be retried one by one).",
      confirmLabel: "Stop everything",
      danger: true,
      reason: true,
      typeToConfirm: "STOP",
    });
    if (!answer) return;
    try {
      const result = await baton.executions.emergencyStop(answer.reason ? { reason: answer.reason } : {});
      notify(`Cancelled ${result.affected.length} execution${result.affected.length === 1 ? "" : "s"}`);
      queue.reload();
    } catch (error) {
      notify(`Could not stop: ${describeError(error)}`, "error");
    }
  }

  async function remove(executionId: string): Promise<void> {
    const answer = await confirm({
      title: "Remove from the queue?",
      body: `Execution ${executionId} is cancelled before it starts.`,
      confirmLabel: "Remove",
      danger: true,
      reason: true,
    });
    if (!answer) return;
    try {
      await baton.executions.cancel(executionId, answer.reason ? { reason: answer.reason } : {});
      notify("Removed from the queue");
      queue.reload();
    } catch (error) {
      notify(`Could not remove: ${describeError(error)}`, "error");
    }
  }

  return (
    <section>
      {dialog}
      <div class="page-head">
        <h1>Queue</h1>
        <div class="page-actions">
          <button type="button" class="button" onClick={() => void pauseAll()}>
            Pause all
          </button>
          <button type="button" class="button button-danger" onClick={() => void emergencyStop()}>
            Emergency stop
          </button>
        </div>
      </div>
      <Guard resource={queue} label="Loading the queue…">
        {(snapshot) => (
          <>
            <div class="panel">
              <h2 class="panel-title">
                Running <span class="muted">{snapshot.running.length} of at most {snapshot.globalLimit} at once</span>
              </h2>
              {snapshot.running.length === 0 ? (
                <Empty title="Nothing is running" />
              ) : (
                <DataTable
                  rows={snapshot.running}
                  rowKey={(row) => row.executionId}
                  columns={[
                    { header: "Execution", cell: (row) => <ExecutionLink id={row.executionId} /> },
                    { header: "Pipeline", cell: (row) => row.templateId },
                    { header: "Concurrency key", class: "mono", cell: (row) => row.concurrencyKey ?? "—" },
                    { header: "Running for", title: (row) => formatTime(row.admittedAt), cell: (row) => formatDuration(now - row.admittedAt) },
                  ]}
                />
              )}
            </div>
            <div class="panel">
              <h2 class="panel-title">
                Queued <span class="muted">{snapshot.queued.length}</span>
              </h2>
              {snapshot.queued.length === 0 ? (
                <Empty title="Nothing waits">Executions queue here when a limit is reached, highest priority first.</Empty>
              ) : (
                <DataTable
                  rows={snapshot.queued}
                  rowKey={(row) => row.executionId}
                  columns={[
                    { header: "#", cell: (row) => row.position },
                    {
                      header: "Execution",
                      cell: (row) => (
                        <>
                          <ExecutionLink id={row.executionId} />
                          {row.concurrencyKey ? <div class="muted mono">key {row.concurrencyKey}</div> : null}
                        </>
                      ),
                    },
                    { header: "Pipeline", cell: (row) => row.templateId },
                    { header: "Waits because", cell: (row) => row.reason },
                    { header: "Since", title: (row) => formatTime(row.enqueuedAt), cell: (row) => formatRelative(row.enqueuedAt, now) },
                    {
                      header: "Priority",
                      cell: (row) => <PriorityEditor key={`${row.executionId}:${row.priority}`} executionId={row.executionId} priority={row.priority} onSaved={queue.reload} />,
                    },
                    {
                      header: "Actions",
                      hidden: true,
                      class: "row-actions",
                      cell: (row) => (
                        <button type="button" class="button button-small button-danger-quiet" onClick={() => void remove(row.executionId)}>
                          Remove
                        </button>
                      ),
                    },
                  ]}
                />
              )}
            </div>
          </>
        )}
      </Guard>
    </section>
  );
}

function PriorityEditor({ executionId, priority, onSaved }: { executionId: string; priority: number; onSaved(): void }) {
  const [value, setValue] = useState(String(priority));
  const [error, setError] = useState<string | null>(null);
  const number = Number(value);
  const valid = value.trim() !== "" && Number.isInteger(number) && number >= -100 && number <= 100;

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    if (!valid) {
      setError("A whole number from -100 to 100.");
      return;
    }
    try {
      await extra.setPriority(executionId, number);
      setError(null);
      notify(`Priority set to ${number}`);
      onSaved();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <form class="inline-form" onSubmit={(e) => void save(e)}>
      <input
        type="number"
        class="input-narrow"
        min={-100}
        max={100}
        step={1}
        value={value}
        aria-label={`Priority of ${executionId}`}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="button button-small" disabled={String(priority) === value.trim()}>
        Set
      </button>
      <FieldError>{error}</FieldError>
    </form>
  );
}

function ExecutionLink({ id }: { id: string }) {
  return (
    <Link href={`/executions/${encodeURIComponent(id)}`} class="mono">
      {id}
    </Link>
  );
}
