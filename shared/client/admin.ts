/**
 * The rest of the API through the client: approvals, API tokens, agents, the queue, locks, usage,
 * configuration, webhooks, CORS and the live feed. Answers whose shapes are not in `shared/api` yet are
 * typed as plain JSON objects.
 */
import type { ControlPlane } from "../api/control-plane.ts";
import type { Insights, InsightsQuery } from "../api/insights.ts";
import type { LockState, QueueSnapshot, UsageGrouping, UsageReport } from "../api/resources.ts";
import type { RunAgentRequest, RunAgentResponse } from "../api/agent-runs.ts";
import type { AgentDetail, AgentSummary, RegisterAgentRequest, RegisteredAgentDetail, RotatedSecret } from "../api/agents.ts";
import type { CorsSettings } from "../api/cors.ts";
import type { PendingApproval } from "../api/executions.ts";
import type { ApiToken, CreatedToken, CreateTokenRequest, RevokedToken } from "../api/tokens.ts";
import type {
  WebhookDeliveryFilters,
  WebhookDeliveryPage,
  WebhookSettings,
  WebhookSettingsInput,
} from "../api/webhooks.ts";
import type { ConfigUpdate, ConfigView } from "../config.ts";
import type { LiveEvent } from "../execution.ts";
import { type FollowOptions, followStream } from "./follow.ts";
import type { HttpTransport, Query } from "./http.ts";

export type JsonObject = Record<string, unknown>;

const agentPath = (name: string) => `/v1/agents/${encodeURIComponent(name)}`;

export function adminClient(http: HttpTransport) {
  return {
    approvals: {
      async list(): Promise<PendingApproval[]> {
        return (await http.json<{ approvals: PendingApproval[] }>("GET", "/v1/approvals")).approvals;
      },
    },
    tokens: {
      async list(): Promise<ApiToken[]> {
        return (await http.json<{ tokens: ApiToken[] }>("GET", "/v1/tokens")).tokens;
      },
      /** Of the calling token's scope or less; `expiresInSeconds` to make it expire. */
      create(name: string, options: Omit<CreateTokenRequest, "name"> = {}): Promise<CreatedToken> {
        return http.json("POST", "/v1/tokens", { body: { name, ...options } });
      },
      revoke(id: string): Promise<RevokedToken> {
        return http.json("DELETE", `/v1/tokens/${encodeURIComponent(id)}`);
      },
    },
    agents: {
      async list(): Promise<AgentSummary[]> {
        return (await http.json<{ agents: AgentSummary[] }>("GET", "/v1/agents")).agents;
      },
      get(name: string): Promise<AgentDetail> {
        return http.json("GET", agentPath(name));
      },
      /** The answer carries the agent's `signingSecret`, shown this once: give it to the agent. */
      register(request: RegisterAgentRequest): Promise<RegisteredAgentDetail> {
        return http.json("POST", "/v1/agents", { body: request });
      },
      rotateSecret(name: string): Promise<RotatedSecret> {
        return http.json("POST", `${agentPath(name)}/rotate-secret`);
      },
      remove(name: string): Promise<JsonObject> {
        return http.json("DELETE", agentPath(name));
      },
      check(name: string): Promise<AgentDetail> {
        return http.json("POST", `${agentPath(name)}/check`);
      },
      /** Runs the agent once on `input` (a one-step execution); follow it with `executions.events(id)`. */
      run(name: string, request: RunAgentRequest): Promise<RunAgentResponse> {
        return http.json("POST", `${agentPath(name)}/run`, { body: request });
      },
    },
    /** Calls each control-plane object (dispatcher shards, lender, history writers, hub shards) received, per second since `since`. */
    controlPlane(since?: number): Promise<ControlPlane> {
      return http.json("GET", since === undefined ? "/v1/control-plane" : `/v1/control-plane?since=${since}`);
    },
    queue(): Promise<QueueSnapshot> {
      return http.json("GET", "/v1/queue");
    },
    locks(): Promise<{ locks: LockState[] }> {
      return http.json("GET", "/v1/locks");
    },
    /** A template's runs per param or key over 7, 30 or 90 days, with rate-limit saturation. */
    insights(query: InsightsQuery): Promise<Insights> {
      return http.json("GET", "/v1/insights", { query: query as Query });
    },
    usage(query: { groupBy?: UsageGrouping; since?: string | number; until?: string | number } = {}): Promise<UsageReport> {
      return http.json("GET", "/v1/usage", { query: query as Query });
    },
    config: {
      /** Limits, mode, allowed CORS origins and webhook endpoints (secrets as a hint). */
      get(): Promise<ConfigView> {
        return http.json("GET", "/v1/config");
      },
      /** Any subset of the keys; `cors` and `webhooks` are replaced whole. */
      update(patch: ConfigUpdate): Promise<ConfigView> {
        return http.json("PUT", "/v1/config", { body: patch });
      },
    },
    webhooks: {
      get(): Promise<WebhookSettings> {
        return http.json("GET", "/v1/webhooks");
      },
      put(settings: WebhookSettingsInput): Promise<WebhookSettings> {
        return http.json("PUT", "/v1/webhooks", { body: settings });
      },
      deliveries(filters: WebhookDeliveryFilters = {}): Promise<WebhookDeliveryPage> {
        return http.json("GET", "/v1/webhooks/deliveries", { query: { ...filters } });
      },
    },
    cors: {
      get(): Promise<CorsSettings> {
        return http.json("GET", "/v1/cors");
      },
      put(settings: CorsSettings): Promise<CorsSettings> {
        return http.json("PUT", "/v1/cors", { body: settings });
      },
    },
    /** Every execution's lifecycle events (and budget alerts), following on forever until `signal` aborts. */
    liveEvents(options: FollowOptions = {}): AsyncGenerator<LiveEvent> {
      const open = async (after: number, signal: AbortSignal | undefined, cursor?: string) => {
        const headers: Record<string, string> = { accept: "text/event-stream" };
        if (cursor !== undefined) headers["last-event-id"] = cursor;
        else if (after > 0) headers["last-event-id"] = String(after);
        const response = await http.send("GET", "/v1/events", { headers, ...(signal ? { signal } : {}) });
        if (!response.body) throw new Error("the event stream has no body");
        return response.body;
      };
      return followStream(
        open,
        {
          parse: (message) => {
            try {
              return JSON.parse(message.data) as LiveEvent;
            } catch {
              return undefined;
            }
          },
          isLast: () => false,
        },
        options,
      );
    },
  };
}
