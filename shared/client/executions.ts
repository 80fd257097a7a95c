/** `/v1/executions…` through the client, with the event stream followed across reconnects. */
import type {
  BulkResult,
  ExecutionFilters,
  ForkExecutionRequest,
  ForkExecutionResponse,
  LogFilters,
  LogPage,
  StartExecutionResponse,
} from "../api/executions.ts";
import { type TypedExecutionEvent, typedEvent } from "../events.ts";
import type { ExecutionPage, ExecutionState, StartExecutionRequest } from "../execution.ts";
import { type FollowOptions, followEvents } from "./follow.ts";
import type { HttpTransport } from "./http.ts";

const path = (id: string) => `/v1/executions/${encodeURIComponent(id)}`;

export function executionsClient(http: HttpTransport) {
  const post = (url: string, body?: Record<string, string | undefined>) =>
    http.json<ExecutionState>("POST", url, body && Object.values(body).some((v) => v !== undefined) ? { body } : {});
  return {
    start(request: StartExecutionRequest): Promise<StartExecutionResponse> {
      return http.json("POST", "/v1/executions", { body: request });
    },
    /** Forks an ended execution from one of its steps: `{ fromStep, input?, params? }`. */
    fork(id: string, request: ForkExecutionRequest): Promise<ForkExecutionResponse> {
      return http.json("POST", `${path(id)}/fork`, { body: request });
    },
    list(filters: ExecutionFilters = {}): Promise<ExecutionPage> {
      return http.json("GET", "/v1/executions", { query: { ...filters } });
    },
    get(id: string): Promise<ExecutionState> {
      return http.json("GET", path(id));
    },
    cancel(id: string, options: { reason?: string } = {}) {
      return post(`${path(id)}/cancel`, options);
    },
    pause(id: string, options: { reason?: string } = {}) {
      return post(`${path(id)}/pause`, options);
    },
    resume(id: string) {
      return post(`${path(id)}/resume`);
    },
    retry(id: string) {
      return post(`${path(id)}/retry`);
    },
    approve(id: string, stepId: string, options: { comment?: string } = {}) {
      return post(`${path(id)}/steps/${encodeURIComponent(stepId)}/approve`, options);
    },
    reject(id: string, stepId: string, options: { comment?: string } = {}) {
      return post(`${path(id)}/steps/${encodeURIComponent(stepId)}/reject`, options);
    },
    pauseAll(options: { reason?: string } = {}): Promise<BulkResult> {
      return http.json("POST", "/v1/executions/pause-all", options.reason ? { body: options } : {});
    },
    emergencyStop(options: { reason?: string } = {}): Promise<BulkResult> {
      return http.json("POST", "/v1/executions/emergency-stop", options.reason ? { body: options } : {});
    },
    logs(id: string, filters: LogFilters = {}): Promise<LogPage> {
      return http.json("GET", `${path(id)}/logs`, { query: { ...filters } });
    },
    /**
     * The execution's events until it ends. A dropped connection is reopened with `Last-Event-ID`, so
     * every event arrives once, in order; a finished execution replays its events and ends. Each event's
     * `data` is typed by its `type` (shared/events.ts).
     */
    async *events(id: string, options: FollowOptions = {}): AsyncGenerator<TypedExecutionEvent> {
      const events = followEvents(async (after, signal) => {
        const headers: Record<string, string> = { accept: "text/event-stream" };
        if (after > 0) headers["last-event-id"] = String(after);
        const response = await http.send("GET", `${path(id)}/events`, { headers, ...(signal ? { signal } : {}) });
        if (!response.body) throw new Error("the event stream has no body");
        return response.body;
      }, options);
      for await (const event of events) yield typedEvent(event);
    },
  };
}
