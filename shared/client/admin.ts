/**
 * The rest of the API through the client: approvals, API tokens, agents, the queue, locks, usage,
 * configuration, webhooks, CORS and the live feed. Answers whose shapes are not in `shared/api` yet are
 * typed as plain JSON objects.
 */
import type { ControlPlane } from "../api/control-plane.ts";
import type { LockState, QueueSnapshot, UsageGrouping, UsageReport } from "../api/resources.ts";
import type { AgentDetail, AgentSummary, RegisterAgentRequest } from "../api/agents.ts";
import type { CorsSettings } from "../api/cors.ts";
import type { PendingApproval } from "../api/executions.ts";
import type { ApiToken, CreatedToken, RevokedToken } from "../api/tokens.ts";
import type {
  WebhookDeliveryFilters,
  WebhookDeliveryPage,
  WebhookSettings,
  WebhookSettingsInput,
} from "../api/webhooks.ts";
import type { BatonConfig, ConfigPatch } from "../config.ts";
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
      create(name: string): Promise<CreatedToken> {
        return http.json("POST", "/v1/tokens", { body: { name } });
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
      register(request: RegisterAgentRequest): Promise<AgentDetail> {
        return http.json("POST", "/v1/agents", { body: request });
      },
      remove(name: string): Promise<JsonObject> {
        return http.json("DELETE", agentPath(name));
      },
      check(name: string): Promise<AgentDetail> {
        return http.json("POST", `${agentPath(name)}/check`);
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
    usage(query: { groupBy?: UsageGrouping; since?: string | number; until?: string | number } = {}): Promise<UsageReport> {
      return http.json("GET", "/v1/usage", { query: query as Query });
    },
    config: {
      get(): Promise<BatonConfig> {
        return http.json("GET", "/v1/config");
      },
      update(patch: ConfigPatch): Promise<BatonConfig> {
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
