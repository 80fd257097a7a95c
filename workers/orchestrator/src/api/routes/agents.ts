/**
 * Agent endpoints: the registry with health and metrics, registration of HTTP agents, deregistration,
 * health checks on demand, rotating an HTTP agent's signing secret, disabling / enabling an agent, and
 * running it directly on an input.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { runAgentResponseSchema, runAgentSchema } from "#shared/api/agent-runs.ts";
import { agentDetailSchema, agentNameSchema, agentSummarySchema, registerAgentSchema, registeredAgentSchema, rotatedSecretSchema } from "#shared/api/agents.ts";
import type { Context } from "hono";
import { deregisterAgent, registerHttpAgent, requireAgent, rotateSigningSecret, setEnabled } from "../../services/agents.ts";
import { discoverBoundAgents } from "../../agents/discovery.ts";
import { checkAgent, checkAllAgents } from "../../agents/health-check.ts";
import { agentPerformance, performanceOf } from "../../agents/metrics.ts";
import { historyUpToDate } from "../../history/writer.ts";
import { type AgentRow, listAgentRows } from "../../agents/registry-store.ts";
import { agentDetail, agentSummary } from "../../agents/views.ts";
import { runAgent } from "../../services/agent-runs.ts";
import { type AppEnv, callerOf, createRouter } from "../context.ts";
import { errorResponses, jsonBody, jsonContent } from "../openapi.ts";

const tags = ["Agents"];
const nameParam = z.object({ name: agentNameSchema });
const agentList = z.object({ agents: z.array(agentSummarySchema) });

/** Bound agents are registered lazily: the first request that needs the registry describes new bindings. */
async function discover(c: Context<AppEnv>): Promise<AgentRow[]> {
  return discoverBoundAgents(c.env, c.var.db, Date.now());
}

async function listAgents(c: Context<AppEnv>, rows: AgentRow[]) {
  await historyUpToDate(c.env);
  const performance = await agentPerformance(c.var.db, Date.now());
  return { agents: rows.map((row) => agentSummary(row, performanceOf(performance, row.name))) };
}

async function detailOf(c: Context<AppEnv>, row: AgentRow) {
  await historyUpToDate(c.env);
  const performance = await agentPerformance(c.var.db, Date.now(), row.name);
  return agentDetail(row, performanceOf(performance, row.name));
}

const list = createRoute({
  method: "get",
  path: "/agents",
  tags,
  summary: "List the registered agents with their status, health and metrics",
  responses: { 200: jsonContent(agentList, "Agents, by name") },
});

const register = createRoute({
  method: "post",
  path: "/agents",
  tags,
  summary: "Register an HTTP agent (checked first: GET {url}/health must be ok, GET {url}/describe well formed)",
  request: { body: jsonBody(registerAgentSchema) },
  responses: {
    201: jsonContent(registeredAgentSchema, "Registered; `signingSecret` is in this answer only"),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const refresh = createRoute({
  method: "post",
  path: "/agents/refresh",
  tags,
  summary: "Discover bound agents again and check every enabled agent now (what the cron does every minute)",
  responses: { 200: jsonContent(agentList, "Agents after the checks") },
});

const read = createRoute({
  method: "get",
  path: "/agents/{name}",
  tags,
  summary: "Read an agent: schemas, pricing, status, health and metrics",
  request: { params: nameParam },
  responses: { 200: jsonContent(agentDetailSchema, "The agent"), ...errorResponses(404, 422) },
});

const remove = createRoute({
  method: "delete",
  path: "/agents/{name}",
  tags,
  summary: "Deregister an HTTP agent (history keeps its name; bound agents are removed from wrangler.toml)",
  request: { params: nameParam },
  responses: {
    200: jsonContent(z.object({ name: z.string(), deregisteredAt: z.number().int() }), "Deregistered"),
    ...errorResponses(404, 409, 422),
  },
});

const check = createRoute({
  method: "post",
  path: "/agents/{name}/check",
  tags,
  summary: "Check an agent's health now (a success closes an open circuit)",
  request: { params: nameParam },
  responses: { 200: jsonContent(agentDetailSchema, "The agent after the check"), ...errorResponses(404, 422) },
});

const rotateSecret = createRoute({
  method: "post",
  path: "/agents/{name}/rotate-secret",
  tags,
  summary: "Give an HTTP agent a new signing secret (shown in this answer only); the old one stops being used",
  request: { params: nameParam },
  responses: { 200: jsonContent(rotatedSecretSchema, "The new secret"), ...errorResponses(404, 409, 422) },
});

const enable = createRoute({
  method: "post",
  path: "/agents/{name}/enable",
  tags,
  summary: "Enable an agent (and check it): templates may use it again",
  request: { params: nameParam },
  responses: { 200: jsonContent(agentDetailSchema, "Enabled"), ...errorResponses(404, 422) },
});

const run = createRoute({
  method: "post",
  path: "/agents/{name}/run",
  tags,
  summary: "Run the agent once on an input (checked against its schema): a one-step execution of template agent--<name>",
  request: { params: nameParam, body: jsonBody(runAgentSchema) },
  responses: {
    202: jsonContent(runAgentResponseSchema, "Accepted: the execution is queued or running"),
    ...errorResponses(400, 404, 409, 413, 415, 422, 429),
  },
});

const disable = createRoute({
  method: "post",
  path: "/agents/{name}/disable",
  tags,
  summary: "Disable an agent: executions using it are refused at start, and its steps fail",
  request: { params: nameParam },
  responses: { 200: jsonContent(agentDetailSchema, "Disabled"), ...errorResponses(404, 422) },
});

export const agentRoutes = createRouter()
  .openapi(list, async (c) => {
    return c.json(await listAgents(c, await discover(c)), 200);
  })
  .openapi(register, async (c) => {
    const { row, signingSecret } = await registerHttpAgent(c.env, c.var.db, c.req.valid("json"), c.var.actor);
    return c.json({ ...(await detailOf(c, row)), signingSecret }, 201);
  })
  .openapi(refresh, async (c) => {
    await checkAllAgents(c.env, new Date());
    return c.json(await listAgents(c, await listAgentRows(c.var.db)), 200);
  })
  .openapi(read, async (c) => {
    await discover(c);
    return c.json(await detailOf(c, await requireAgent(c.var.db, c.req.valid("param").name)), 200);
  })
  .openapi(remove, async (c) => {
    return c.json(await deregisterAgent(c.var.db, c.req.valid("param").name, c.var.actor), 200);
  })
  .openapi(check, async (c) => {
    await discover(c);
    const row = await requireAgent(c.var.db, c.req.valid("param").name);
    return c.json(await detailOf(c, await checkAgent(c.env, row)), 200);
  })
  .openapi(rotateSecret, async (c) => c.json(await rotateSigningSecret(c.var.db, c.req.valid("param").name, c.var.actor), 200))
  .openapi(enable, async (c) => {
    await discover(c);
    const row = await setEnabled(c.env, c.var.db, c.req.valid("param").name, true, c.var.actor);
    return c.json(await detailOf(c, row), 200);
  })
  .openapi(run, async (c) => {
    return c.json(await runAgent(callerOf(c), c.req.valid("param").name, c.req.valid("json")), 202);
  })
  .openapi(disable, async (c) => {
    await discover(c);
    const row = await setEnabled(c.env, c.var.db, c.req.valid("param").name, false, c.var.actor);
    return c.json(await detailOf(c, row), 200);
  });
