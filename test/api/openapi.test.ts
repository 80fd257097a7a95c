/**
 * Proves `GET /v1/openapi.json` is a structurally valid OpenAPI 3.1 document generated from the routes'
 * zod schemas, and that it covers every route the Hono router serves, each with its request (path
 * parameters, body), a success answer and its error answers in the one error format. The route list
 * comes from the router itself, so a route added later without documentation fails this test.
 * It does not validate the document against the official JSON Schema of OpenAPI.
 */
import { describe, expect, it } from "vitest";
import { createApi } from "../../workers/orchestrator/src/api/app.ts";
import { api } from "../support/api.ts";

type Json = Record<string, any>;
const methods = ["get", "put", "post", "delete", "patch", "options", "head"] as const;

async function documentOf(): Promise<Json> {
  const response = await api("/v1/openapi.json", { token: null });
  expect(response.status).toBe(200);
  return response.json<Json>();
}

/** `/v1/executions/:id/steps/:step/approve` as OpenAPI writes it: `/v1/executions/{id}/steps/{step}/approve`. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") found.push(v);
      else refsIn(v, found);
    }
  }
  return found;
}

function resolve(doc: Json, schema: Json): Json {
  if (typeof schema.$ref !== "string") return schema;
  return schema.$ref.replace(/^#\//, "").split("/").reduce((node: Json, key: string) => node?.[key], doc);
}

describe("GET /v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document whose references all resolve", async () => {
    const doc = await documentOf();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer" });
    for (const name of ["Error", "ExecutionState", "ExecutionSummary", "ExecutionPage", "StartExecutionRequest", "Template", "TemplateRecord"]) {
      expect(doc.components.schemas[name], name).toBeTypeOf("object");
    }
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolve(doc, { $ref: ref }), ref).toBeTypeOf("object");

    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      expect(path).toMatch(/^\/v1(\/|$)/);
      for (const method of Object.keys(item)) expect(methods, `${method} ${path}`).toContain(method);
    }
  });

  it("documents every route of the router: parameters, body, success and errors", async () => {
    const doc = await documentOf();
    const routes = createApi()
      .routes.filter((route) => route.method !== "ALL")
      .map((route) => ({ method: route.method.toLowerCase(), path: openApiPath(route.path) }));
    const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
    expect(unique.length).toBeGreaterThan(25);

    // Every problem at once, so that one run lists all the routes to fix.
    const problems: string[] = [];
    const check = (ok: boolean, problem: string) => ok || problems.push(problem);
    for (const { method, path } of unique) {
      const where = `${method.toUpperCase()} ${path}`;
      const operation: Json | undefined = doc.paths[path]?.[method];
      if (!check(operation !== undefined, `${where}: not in the document (define it with createRoute + .openapi)`) || !operation) continue;
      check(typeof operation.summary === "string", `${where}: no summary`);

      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? []).filter((p: Json) => p.in === "path").map((p: Json) => p.name).sort();
      check(JSON.stringify(declared) === JSON.stringify(pathParams), `${where}: path parameters ${declared} instead of ${pathParams}`);
      if (operation.requestBody) {
        check(typeof operation.requestBody.content?.["application/json"]?.schema === "object", `${where}: request body without a JSON schema`);
      }

      const statuses = Object.keys(operation.responses ?? {});
      const success = statuses.filter((s) => /^2\d\d$/.test(s));
      check(success.length > 0, `${where}: no success answer`);
      for (const status of success) {
        const content = operation.responses[status].content ?? {};
        check(Object.values<Json>(content).some((c) => c.schema), `${where}: ${status} answer without a schema`);
      }
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      if (isPublic) continue;
      check(statuses.includes("401"), `${where}: 401 not documented`);
      for (const status of statuses.filter((s) => /^[45]\d\d$/.test(s))) {
        const schema = operation.responses[status].content?.["application/json"]?.schema;
        check(schema?.$ref === "#/components/schemas/Error", `${where}: ${status} answer not in the Error schema`);
      }
    }
    expect(problems).toEqual([]);

    // And nothing documented that the router does not serve.
    const served = new Set(unique.map((r) => `${r.method} ${r.path}`));
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const method of Object.keys(item)) expect(served, `${method} ${path} is documented but not served`).toContain(`${method} ${path}`);
    }
  });

  it("describes request bodies with the schemas that validate them", async () => {
    const doc = await documentOf();
    const start = doc.paths["/v1/executions"].post.requestBody.content["application/json"].schema;
    const schema = resolve(doc, start);
    expect(schema.required).toEqual(expect.arrayContaining(["template"]));
    expect(schema.properties.priority).toMatchObject({ minimum: -100, maximum: 100 });
    const state = resolve(doc, doc.paths["/v1/executions/{id}"].get.responses["200"].content["application/json"].schema);
    expect(state.properties.status.enum).toEqual(["queued", "running", "waiting", "paused", "completed", "failed", "cancelled"]);
  });
});
