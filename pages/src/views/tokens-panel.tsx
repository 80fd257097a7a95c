/**
 * The API tokens, as the Config page lists them: each token's scope (what it may do) and when it
 * expires, so an admin can see at a glance which tokens are strong and which never end. Minting and
 * revoking stay with the API and the CLI, where the secret is shown once.
 */
import type { ApiToken } from "../../../shared/api/tokens.ts";
import { DataTable } from "../components/data-table.tsx";
import { Empty, Guard } from "../components/states.tsx";
import { baton } from "../lib/api.ts";
import { formatRelative, formatTime } from "../lib/format.ts";
import { useResource } from "../lib/use-resource.ts";

const scopeText: Record<ApiToken["scope"], string> = {
  admin: "everything",
  operate: "start, control, approve, read",
  run: "start, and read its own executions",
  read: "read",
};

function expiry(token: ApiToken, now: number): string {
  if (token.revokedAt !== null) return `revoked ${formatRelative(token.revokedAt, now)}`;
  if (token.expiresAt === null) return "never expires";
  return token.expiresAt <= now ? `expired ${formatRelative(token.expiresAt, now)}` : `expires ${formatTime(token.expiresAt)}`;
}

export function TokensPanel() {
  const tokens = useResource(() => baton.tokens.list(), []);
  const now = Date.now();
  return (
    <div class="panel">
      <h2 class="panel-title">API tokens</h2>
      <Guard resource={tokens} label="Loading the tokens…">
        {(list) =>
          list.length === 0 ? (
            <Empty title="No API tokens yet">Create one with POST /v1/tokens (its secret is shown once).</Empty>
          ) : (
            <DataTable
              compact
              rows={list}
              rowKey={(token) => token.id}
              rowAttributes={(token) => ({ "data-token": token.name })}
              columns={[
                { header: "Name", cell: (token) => token.name },
                {
                  header: "Scope",
                  title: (token) => scopeText[token.scope],
                  cell: (token) => (
                    <>
                      <strong>{token.scope}</strong> <span class="muted">({scopeText[token.scope]})</span>
                    </>
                  ),
                },
                { header: "Expiry", cell: (token) => expiry(token, now) },
                { header: "Last used", cell: (token) => (token.lastUsedAt === null ? "never" : formatRelative(token.lastUsedAt, now)) },
              ]}
            />
          )
        }
      </Guard>
    </div>
  );
}
