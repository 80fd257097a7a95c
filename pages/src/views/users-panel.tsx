/**
 * Config → Users (admins only): who can sign in to the console and with which role. Add a user (a
 * password is generated and shown once), make someone an admin or a viewer, disable and re-enable,
 * reset a password (shown once). The API refuses to take away the last enabled admin and says why.
 */
import { useState } from "preact/hooks";
import type { ConsoleUser, UserWithPassword } from "../../../shared/api/users.ts";
import { useConfirm } from "../components/confirm.tsx";
import { describedBy, Field } from "../components/field.tsx";
import { DataTable } from "../components/data-table.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { notify } from "../components/toasts.tsx";
import { baton, describeError, fieldErrors } from "../lib/api.ts";
import { formatRelative, formatTime } from "../lib/format.ts";
import { useResource } from "../lib/use-resource.ts";

type Role = ConsoleUser["role"];

export function UsersPanel({ me }: { me: string }) {
  const users = useResource(() => baton.users.list(), []);
  const [shown, setShown] = useState<{ what: string; result: UserWithPassword } | null>(null);
  const { element: dialog, confirm } = useConfirm();

  async function act(work: () => Promise<unknown>, done: string): Promise<void> {
    try {
      await work();
      notify(done);
    } catch (error) {
      notify(describeError(error), "error");
    }
    users.reload();
  }

  async function reset(user: ConsoleUser): Promise<void> {
    const ok = await confirm({
      title: `Reset the password of ${user.email}?`,
      body: "A new password is generated and shown once; their current sessions end at once.",
      confirmLabel: "Reset password",
      danger: true,
    });
    if (!ok) return;
    try {
      setShown({ what: `New password for ${user.email}`, result: await baton.users.resetPassword(user.id) });
    } catch (error) {
      notify(describeError(error), "error");
    }
  }

  async function disable(user: ConsoleUser): Promise<void> {
    const ok = await confirm({
      title: `Disable ${user.email}?`,
      body: "They are signed out at once and cannot sign in until re-enabled.",
      confirmLabel: "Disable",
      danger: true,
    });
    if (ok) await act(() => baton.users.disable(user.id), `${user.email} is disabled`);
  }

  function actions(user: ConsoleUser) {
    const other: Role = user.role === "admin" ? "viewer" : "admin";
    return (
      <>
        <button type="button" class="button button-small" onClick={() => void act(() => baton.users.update(user.id, { role: other }), `${user.email} is now ${other === "admin" ? "an admin" : "a viewer"}`)}>
          Make {other}
        </button>
        {user.disabledAt === null ? (
          <button type="button" class="button button-small" onClick={() => void disable(user)}>
            Disable
          </button>
        ) : (
          <button type="button" class="button button-small" onClick={() => void act(() => baton.users.enable(user.id), `${user.email} is enabled`)}>
            Enable
          </button>
        )}
        <button type="button" class="button button-small button-quiet" onClick={() => void reset(user)}>
          Reset password
        </button>
      </>
    );
  }

  return (
    <section class="panel" aria-labelledby="users-title">
      <h2 class="panel-title" id="users-title">
        Users
      </h2>
      <p class="muted">Admins change anything; viewers see everything but change nothing. Every change here is in the audit log.</p>
      {shown ? <PasswordOnce what={shown.what} result={shown.result} onDone={() => setShown(null)} /> : null}
      <Guard resource={users} label="Loading users…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No users yet" />
          ) : (
            <DataTable
              testId="users-table"
              rows={list}
              rowKey={(user) => user.id}
              rowAttributes={(user) => ({ "data-email": user.email })}
              columns={[
                {
                  header: "Email",
                  class: "strong",
                  cell: (user) => (
                    <>
                      {user.email}
                      {user.email === me ? <span class="pill">you</span> : null}
                    </>
                  ),
                },
                { header: "Role", cell: (user) => user.role },
                {
                  header: "Status",
                  cell: (user) => (user.disabledAt === null ? "enabled" : <span class="pill pill-warn">disabled {formatRelative(user.disabledAt)}</span>),
                },
                { header: "Added", cell: (user) => formatRelative(user.createdAt), title: (user) => formatTime(user.createdAt) },
                { header: "Actions", hidden: true, class: "row-actions", cell: actions },
              ]}
            />
          )
        }
      </Guard>
      <AddUser
        onAdded={(result) => {
          setShown({ what: `Added ${result.user.email} as ${result.user.role === "admin" ? "an admin" : "a viewer"}`, result });
          users.reload();
        }}
      />
      {dialog}
    </section>
  );
}

function PasswordOnce({ what, result, onDone }: { what: string; result: UserWithPassword; onDone(): void }) {
  return (
    <div class="notice notice-warn" role="status" data-testid="password-once">
      <p>
        <strong>{what}.</strong> Their password is shown this once; pass it on safely.
      </p>
      <div class="password-once">
        <code data-testid="new-password">{result.password}</code>
        <button type="button" class="button button-small" onClick={() => void navigator.clipboard?.writeText(result.password).then(() => notify("Copied"))}>
          Copy
        </button>
        <button type="button" class="button button-small button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function AddUser({ onAdded }: { onAdded(result: UserWithPassword): void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    try {
      const result = await baton.users.create({ email: email.trim(), role });
      setEmail("");
      setErrors(new Map());
      onAdded(result);
    } catch (error) {
      const fields = fieldErrors(error);
      setErrors(fields.size > 0 ? fields : new Map([["email", describeError(error)]]));
    } finally {
      setBusy(false);
    }
  }

  const emailError = errors.get("email");
  return (
    <form class="form-row add-user" onSubmit={(e) => void submit(e)} noValidate aria-label="Add a user">
      <Field id="new-user-email" label="Email" error={emailError}>
        <input {...describedBy("new-user-email", emailError, false)} type="email" autoComplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required />
      </Field>
      <Field id="new-user-role" label="Role">
        <select id="new-user-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="viewer">Viewer (read-only)</option>
          <option value="admin">Admin</option>
        </select>
      </Field>
      <button type="submit" class="button button-primary" disabled={busy || email.trim() === ""}>
        {busy ? "Adding…" : "Add user"}
      </button>
    </form>
  );
}
