/**
 * Inbound triggers through the client: define them, send events (signed with the trigger's secret when it
 * takes signatures) and read what became of each event.
 */
import type {
  Trigger,
  TriggerDeliveryPage,
  TriggerEventResponse,
  TriggerInput,
  TriggerSaved,
} from "../api/triggers.ts";
import { signWebhook } from "../webhook-signature.ts";
import type { HttpTransport } from "./http.ts";

const triggerPath = (name: string) => `/v1/triggers/${encodeURIComponent(name)}`;

export function triggersClient(http: HttpTransport) {
  return {
    async list(filters: { template?: string } = {}): Promise<Trigger[]> {
      return (await http.json<{ triggers: Trigger[] }>("GET", "/v1/triggers", { query: filters })).triggers;
    },
    get(name: string): Promise<Trigger> {
      return http.json("GET", triggerPath(name));
    },
    /** Creates or replaces; the answer that creates a signature trigger's secret carries it, once. */
    put(name: string, trigger: TriggerInput): Promise<TriggerSaved> {
      return http.json("PUT", triggerPath(name), { body: trigger });
    },
    remove(name: string): Promise<{ name: string; deleted: true }> {
      return http.json("DELETE", triggerPath(name));
    },
    /** Sends an event; with `secret`, signed with a `Baton-Signature` header as a signature trigger needs. */
    async send(
      name: string,
      payload: unknown,
      options: { secret?: string; headers?: Record<string, string> } = {},
    ): Promise<TriggerEventResponse> {
      const headers = { ...options.headers };
      if (options.secret !== undefined) {
        // The transport sends JSON.stringify(payload): the same text is what gets signed.
        headers["baton-signature"] = await signWebhook(options.secret, JSON.stringify(payload), Math.floor(Date.now() / 1000));
      }
      return http.json("POST", `${triggerPath(name)}/events`, { body: payload, headers });
    },
    deliveries(name: string, page: { limit?: number; cursor?: string } = {}): Promise<TriggerDeliveryPage> {
      return http.json("GET", `${triggerPath(name)}/deliveries`, { query: page });
    },
  };
}
