/**
 * The outbound policy: where Baton's own requests (HTTP agents, webhooks) may go. Deployed, nothing may
 * reach inside: loopback, private, link-local and metadata addresses are refused, whether written as
 * an address or as a name that resolves to one. Locally (`npm start`, OUTBOUND_POLICY=local) loopback
 * stays allowed so agents on the developer's machine work. Hosts in the config's `outboundAllowHosts`
 * are always allowed (an operator's own agent on a private network, say).
 *
 * A Worker cannot resolve DNS itself, so names are judged in two ways: names that are internal by
 * construction (`localhost`, `*.local`, `*.internal`, single-label names…) are refused outright, and
 * other names are looked up over DNS-over-HTTPS (A and AAAA) and refused if any answer is inside.
 * A lookup that fails refuses the request (fail closed). What the check cannot stop — a name that
 * changes its answer between the lookup and the fetch — is written down in docs/security.md.
 */
import { loadConfig } from "../config/store.ts";
import type { Database } from "../db/client.ts";
import { type AddressClass, classifyIp } from "./address-ranges.ts";
import { resolveAddresses } from "./doh.ts";

export type OutboundMode = "deployed" | "local";
export type OutboundVerdict = { ok: true } | { ok: false; message: string };

export interface OutboundPolicy {
  mode: OutboundMode;
  allowHosts: readonly string[];
}

const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".localdomain", ".corp"];
const INTERNAL_NAMES = new Set(["localhost", "metadata", "metadata.google.internal", "instance-data", "instance-data.ec2.internal"]);

export function outboundMode(env: { OUTBOUND_POLICY?: string }): OutboundMode {
  return env.OUTBOUND_POLICY === "local" ? "local" : "deployed";
}

export async function outboundPolicy(env: { OUTBOUND_POLICY?: string }, db: Database): Promise<OutboundPolicy> {
  return { mode: outboundMode(env), allowHosts: (await loadConfig(db)).outboundAllowHosts };
}

/** Whether `url` may be fetched under `policy`, without any lookup: IP literals and internal names. */
export function checkUrlStatically(url: URL, policy: OutboundPolicy): OutboundVerdict | "resolve" {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (policy.allowHosts.some((allowed) => allowed.toLowerCase() === host)) return { ok: true };
  const ipClass = classifyIp(host);
  if (ipClass !== null) return judge(ipClass, host, policy);
  if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return policy.mode === "local" && (host === "localhost" || host.endsWith(".localhost")) ? { ok: true } : refused(host, "an internal name");
  }
  if (!host.includes(".")) return policy.mode === "local" ? { ok: true } : refused(host, "a single-label (intranet) name");
  return policy.mode === "local" ? { ok: true } : "resolve";
}

/** The full check: the static one, then, for other names when deployed, where the name resolves. */
export async function checkOutbound(url: URL, policy: OutboundPolicy): Promise<OutboundVerdict> {
  const verdict = checkUrlStatically(url, policy);
  if (verdict !== "resolve") return verdict;
  const resolved = await resolveAddresses(url.hostname);
  if (!resolved.ok) return { ok: false, message: `${url.hostname} could not be checked: ${resolved.message}; the outbound policy refuses what it cannot check` };
  for (const address of resolved.addresses) {
    const ipClass = classifyIp(address);
    if (ipClass !== null && ipClass !== "public") return refused(url.hostname, `a name that resolves to ${address}, ${describe(ipClass)}`);
  }
  return { ok: true };
}

function judge(ipClass: AddressClass, host: string, policy: OutboundPolicy): OutboundVerdict {
  if (ipClass === "public") return { ok: true };
  if (ipClass === "loopback" && policy.mode === "local") return { ok: true };
  return refused(host, describe(ipClass));
}

function describe(ipClass: AddressClass): string {
  return ipClass === "metadata" ? "a cloud metadata address" : ipClass === "reserved" ? "a reserved address" : `a ${ipClass} address`;
}

function refused(host: string, what: string): OutboundVerdict {
  return {
    ok: false,
    message: `${host} is ${what}, which Baton does not call when deployed (outbound policy); an admin can allow it in /v1/config outboundAllowHosts`,
  };
}
