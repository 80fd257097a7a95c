/**
 * The typed HTTP client of Baton's API, for the console, the CLI and any program: every endpoint,
 * answers typed by the shared schemas, refusals thrown as `BatonError` (code, status, details), and
 * event streams followed across dropped connections with `Last-Event-ID`. Only `fetch` is needed, so it
 * runs in browsers, Workers and Node 24.
 *
 * ```ts
 * const baton = new BatonClient({ url: "http://localhost:8787", token });
 * const { id } = await baton.executions.start({ template: "hello", params: { name: "Ada" } });
 * for await (const event of baton.executions.events(id)) console.log(event.type);
 * ```
 */
import type { Health } from "../api/health.ts";
import { adminClient } from "./admin.ts";
import { executionsClient } from "./executions.ts";
import { type ClientOptions, HttpTransport } from "./http.ts";
import { peopleClient } from "./people.ts";
import { templatesClient } from "./templates.ts";
import { triggersClient } from "./triggers.ts";

export { BatonError } from "../baton-error.ts";
export type { ClientOptions, Fetch } from "./http.ts";
export type { FollowOptions } from "./follow.ts";

export class BatonClient {
  readonly http: HttpTransport;
  readonly templates: ReturnType<typeof templatesClient>;
  readonly executions: ReturnType<typeof executionsClient>;
  readonly triggers: ReturnType<typeof triggersClient>;
  readonly approvals;
  readonly tokens;
  readonly agents;
  readonly config;
  readonly webhooks;
  readonly cors;
  readonly queue;
  readonly controlPlane;
  readonly locks;
  readonly usage;
  readonly insights;
  readonly liveEvents;
  readonly users;
  readonly stats;
  readonly logs;

  constructor(options: ClientOptions) {
    this.http = new HttpTransport(options);
    this.templates = templatesClient(this.http);
    this.executions = executionsClient(this.http);
    this.triggers = triggersClient(this.http);
    const admin = adminClient(this.http);
    this.approvals = admin.approvals;
    this.tokens = admin.tokens;
    this.agents = admin.agents;
    this.config = admin.config;
    this.webhooks = admin.webhooks;
    this.cors = admin.cors;
    this.queue = admin.queue;
    this.controlPlane = admin.controlPlane;
    this.locks = admin.locks;
    this.usage = admin.usage;
    this.insights = admin.insights;
    this.liveEvents = admin.liveEvents;
    const people = peopleClient(this.http);
    this.users = people.users;
    this.stats = people.stats;
    this.logs = people.logs;
  }

  health(): Promise<Health> {
    return this.http.json("GET", "/v1/health");
  }

  /** The OpenAPI 3.1 document of the API. */
  openapi(): Promise<Record<string, unknown>> {
    return this.http.json("GET", "/v1/openapi.json");
  }
}
