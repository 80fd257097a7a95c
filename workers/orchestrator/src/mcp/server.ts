/**
 * `/mcp`: Baton as an MCP server over Streamable HTTP, built on the official SDK's web-standard
 * transport. Stateless: each request gets a fresh server and transport (a Worker has no session to keep),
 * and a tool call's progress notifications travel on the SSE answer to that call.
 *
 * Authentication is the API's bearer token; the token's name is the assistant's identity in the audit
 * log (`mcp:<token name>`).
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { McpConfig } from "#shared/config.ts";
import { DomainError } from "../errors.ts";
import { authenticateToken } from "../auth/api-tokens.ts";
import { loadConfig } from "../config/store.ts";
import { database } from "../db/client.ts";
import type { Caller } from "../services/caller.ts";
import { visibleTemplates } from "./catalog.ts";
import { templateTools } from "./template-tools.ts";
import { type McpTool, ToolInputError } from "./tool.ts";
import { builtInTools } from "./tools/index.ts";

export const MCP_PATH = "/mcp";

function unauthorized(message: string): Response {
  return Response.json(
    { error: { code: "unauthorized", message } },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="baton"' } },
  );
}

async function toolsFor(caller: Caller, mcp: McpConfig): Promise<McpTool[]> {
  return [...builtInTools, ...templateTools(await visibleTemplates(caller, mcp))];
}

function answer(value: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
}

function refusal(error: unknown): CallToolResult {
  if (error instanceof DomainError) {
    const details = Array.isArray(error.details)
      ? `\n${error.details.map((issue) => `- ${issue.path}: ${issue.message}`).join("\n")}`
      : "";
    return { content: [{ type: "text", text: `${error.code}: ${error.message}${details}` }], isError: true };
  }
  if (error instanceof ToolInputError) return { content: [{ type: "text", text: error.message }], isError: true };
  console.error("mcp tool failed", error);
  return { content: [{ type: "text", text: "internal: something went wrong inside Baton; the error has been logged." }], isError: true };
}

function createServer(caller: Caller, mcp: McpConfig, version: string): Server {
  const server = new Server({ name: "baton", version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await toolsFor(caller, mcp)).map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tools = await toolsFor(caller, mcp);
    const tool = tools.find((candidate) => candidate.name === request.params.name);
    if (!tool) {
      return refusal(new DomainError("not_found", `No tool "${request.params.name}"; tools/list names the ones there are.`));
    }
    const progressToken = request.params._meta?.progressToken;
    try {
      return answer(
        await tool.call(request.params.arguments ?? {}, {
          caller,
          mcp,
          signal: extra.signal,
          async progress(progress, total, message) {
            if (progressToken === undefined) return;
            await extra.sendNotification({
              method: "notifications/progress",
              params: { progressToken, progress, ...(total !== undefined ? { total } : {}), message },
            });
          },
        }),
      );
    } catch (error) {
      return refusal(error);
    }
  });
  return server;
}

export async function serveMcp(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const db = database(env.DB);
  const token = request.headers.get("authorization")?.match(/^Bearer\s+(\S{1,512})\s*$/i)?.[1];
  if (!token) return unauthorized("The MCP endpoint needs an API token: send 'Authorization: Bearer <token>' (npm start prints one).");
  const found = await authenticateToken(db, token, env.API_TOKEN);
  if (!found) return unauthorized("The API token is unknown or has been revoked.");
  if (found.touch) ctx.waitUntil(found.touch);

  const caller: Caller = { env, db, actor: { kind: "mcp", name: found.identity.name } };
  const config = await loadConfig(db);
  const server = createServer(caller, config.mcp, env.BATON_VERSION);
  // No session id: every request stands alone, which is what a Worker (any isolate, any time) can promise.
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  await server.connect(transport);
  // The transport ends the answer's SSE stream itself once the call's result is written.
  return transport.handleRequest(request);
}
