/**
 * The orchestrator Worker. Its default export serves the public API; named exports are the Durable
 * Objects and the RPC entrypoints that only service bindings can reach. `/mcp` is the MCP server.
 */
import { createApi } from "./api/app.ts";
import { runCron } from "./cron.ts";
import { MCP_PATH, serveMcp } from "./mcp/server.ts";

export { ExecutionDO } from "./execution/execution-do.ts";
export { ControlShardDO } from "./control-plane/control-shard-do.ts";
export { DispatcherDO, EventHubDO, HistoryWriterDO } from "./control-plane/earlier-objects.ts";
export { TraceExporterDO } from "./telemetry/trace-exporter-do.ts";
export { OrchestratorService } from "./rpc/orchestrator-service.ts";
export { ConsoleGateway } from "./console/console-gateway.ts";
export { GlobalLimitDO } from "./dispatcher/global-limit-do.ts";
export { RateLimitDO } from "./dispatcher/rate-limit-do.ts";
export { LockDO } from "./locks/lock-do.ts";
export { TriggerBufferDO } from "./triggers/buffer-do.ts";

const api = createApi();

export default {
  fetch: (request, env, ctx) =>
    new URL(request.url).pathname === MCP_PATH ? serveMcp(request, env, ctx) : api.fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runCron(controller, env)),
} satisfies ExportedHandler<Env>;
