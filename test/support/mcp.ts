/**
 * An MCP client as an assistant's host runs it: the official SDK's Client over its Streamable HTTP
 * transport, whose requests go to the orchestrator's real fetch handler instead of the network.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { exports } from "cloudflare:workers";
import { TEST_TOKEN } from "./api.ts";

export const MCP_URL = "http://baton.test/mcp";

export function workerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(input, init));
}

export async function connectMcp(token = TEST_TOKEN): Promise<Client> {
  const client = new Client({ name: "baton-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    fetch: workerFetch,
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** The JSON a Baton tool answers with (its one text content), and whether it was a refusal. */
export function toolJson(result: unknown): { isError: boolean; text: string; json: any } {
  const { content, isError } = result as { content: Array<{ type: string; text: string }>; isError?: boolean };
  const text = content.map((c) => c.text).join("\n");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { isError: isError === true, text, json };
}
