/**
 * The console's frame: the navigation between tabs (with a count of pending approvals), who is signed in,
 * whether the live feed is connected, and which view the address shows.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Icon } from "./components/icons.tsx";
import { Link } from "./components/link.tsx";
import { notify, Toasts } from "./components/toasts.tsx";
import { baton, describeError } from "./lib/api.ts";
import { useLiveEvents, useLiveState } from "./lib/live.ts";
import { matchRoute, useLocation } from "./lib/router.ts";
import { signOut, useSignedInUser } from "./lib/session.ts";
import { useResource, useThrottled } from "./lib/use-resource.ts";
import { AgentRunView } from "./views/agent-run.tsx";
import { AgentsView } from "./views/agents.tsx";
import { ApprovalsView } from "./views/approvals.tsx";
import { ConfigView } from "./views/config.tsx";
import { DashboardView } from "./views/dashboard.tsx";
import { ExecutionView } from "./views/execution/index.tsx";
import { HistoryView } from "./views/history.tsx";
import { LogsView } from "./views/logs.tsx";
import { PipelineEditorView } from "./views/pipeline-editor.tsx";
import { PipelinesView } from "./views/pipelines.tsx";
import { QueueView } from "./views/queue.tsx";
import { ResourcesView } from "./views/resources.tsx";
import { StartView } from "./views/start.tsx";

interface Tab {
  href: string;
  label: string;
  icon: string;
}

const tabs: Tab[] = [
  { href: "/", label: "Dashboard", icon: "dashboard" },
  { href: "/pipelines", label: "Pipelines", icon: "pipelines" },
  { href: "/queue", label: "Queue", icon: "queue" },
  { href: "/approvals", label: "Approvals", icon: "approvals" },
  { href: "/agents", label: "Agents", icon: "agents" },
  { href: "/resources", label: "Resources", icon: "resources" },
  { href: "/history", label: "History", icon: "history" },
  { href: "/logs", label: "Logs", icon: "logs" },
  { href: "/config", label: "Config", icon: "config" },
];

type Route = { pattern: string; title: string; tab: string; render(params: Record<string, string>): ComponentChildren };

const routes: Route[] = [
  { pattern: "/", title: "Dashboard", tab: "/", render: () => <DashboardView /> },
  { pattern: "/pipelines", title: "Pipelines", tab: "/pipelines", render: () => <PipelinesView /> },
  { pattern: "/pipelines/new", title: "New pipeline", tab: "/pipelines", render: () => <PipelineEditorView id={null} /> },
  { pattern: "/pipelines/:id", title: "Pipeline", tab: "/pipelines", render: (p) => <PipelineEditorView id={p.id as string} /> },
  { pattern: "/pipelines/:id/start", title: "Start", tab: "/pipelines", render: (p) => <StartView id={p.id as string} /> },
  { pattern: "/executions/:id", title: "Execution", tab: "/history", render: (p) => <ExecutionView id={p.id as string} /> },
  { pattern: "/queue", title: "Queue", tab: "/queue", render: () => <QueueView /> },
  { pattern: "/approvals", title: "Approvals", tab: "/approvals", render: () => <ApprovalsView /> },
  { pattern: "/agents", title: "Agents", tab: "/agents", render: () => <AgentsView /> },
  { pattern: "/agents/:name/run", title: "Run agent", tab: "/agents", render: (p) => <AgentRunView name={p.name as string} /> },
  { pattern: "/resources", title: "Resources", tab: "/resources", render: () => <ResourcesView /> },
  { pattern: "/history", title: "History", tab: "/history", render: () => <HistoryView /> },
  { pattern: "/logs", title: "Logs", tab: "/logs", render: () => <LogsView /> },
  { pattern: "/config", title: "Config", tab: "/config", render: () => <ConfigView /> },
];

function resolve(path: string): { route: Route; params: Record<string, string> } | null {
  const normalized = path.length > 1 ? path.replace(/\/+$/, "") : path;
  for (const route of routes) {
    const params = matchRoute(route.pattern, normalized);
    if (params) return { route, params };
  }
  return null;
}

function LiveIndicator() {
  const state = useLiveState();
  const text = state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Offline, retrying";
  return (
    <span class={`live live-${state}`} title="Updates from Baton as they happen" role="status">
      <span class="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function useApprovalCount(): number | undefined {
  const approvals = useResource(() => baton.approvals.list(), [], { refreshMs: 30_000 });
  const reload = useThrottled(approvals.reload, 500);
  useLiveEvents((event) => {
    if (event.type.startsWith("approval.") || event.type.startsWith("execution.")) reload();
  });
  return approvals.data?.length;
}

export function App() {
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const user = useSignedInUser();
  const approvals = useApprovalCount();
  const match = resolve(path);

  useEffect(() => {
    document.title = match ? `${match.route.title} · Baton` : "Not found · Baton";
    setMenuOpen(false);
  }, [path]);

  return (
    <div class={`shell${user?.role === "viewer" ? " read-only" : ""}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          <span aria-hidden="true">☰</span>
          <span class="visually-hidden">Menu</span>
        </button>
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Baton
        </Link>
        <LiveIndicator />
        <div class="topbar-user">
          {user ? (
            <span class="user" title={`Signed in as ${user.email} (${user.role})`}>
              {user.email}
              {user.role === "viewer" ? (
                <span class="pill" title="Viewers can look at everything but change nothing">
                  viewer · read-only
                </span>
              ) : null}
            </span>
          ) : null}
          <button type="button" class="button button-small" onClick={() => void signOut().catch((error: unknown) => notify(describeError(error), "error"))}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="nav" class={`sidebar${menuOpen ? " open" : ""}`} aria-label="Console">
        <ul>
          {tabs.map((tab) => {
            const current = match?.route.tab === tab.href;
            return (
              <li key={tab.href}>
                <Link href={tab.href} class={current ? "active" : ""} aria-current={current ? "page" : undefined}>
                  <Icon name={tab.icon} />
                  {tab.label}
                  {tab.href === "/approvals" && approvals ? (
                    <span class="nav-badge" aria-label={`${approvals} pending`}>
                      {approvals}
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {match ? (
          match.route.render(match.params)
        ) : (
          <section>
            <h1>Not found</h1>
            <p>
              Nothing lives at <code>{path}</code>. <Link href="/">Go to the dashboard</Link>.
            </p>
          </section>
        )}
      </main>
      <Toasts />
    </div>
  );
}
