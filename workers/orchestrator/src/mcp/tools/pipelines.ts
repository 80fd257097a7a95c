/** `list_pipelines` and `start_pipeline`: what an assistant can run, and running it. */
import { z } from "zod";
import { startForAssistant } from "../access.ts";
import { visibleTemplates } from "../catalog.ts";
import { paramsJsonSchema } from "../param-schema.ts";
import { defineTool } from "../tool.ts";

export const listPipelines = defineTool({
  name: "list_pipelines",
  description: "List the pipelines (templates) you can start, with their descriptions and params as JSON Schema.",
  input: z.object({}),
  async run(_input, { caller, mcp }) {
    const templates = await visibleTemplates(caller, mcp);
    return {
      pipelines: templates.map((template) => ({
        template: template.id,
        name: template.name,
        description: template.description ?? null,
        params: paramsJsonSchema(template.params),
        steps: template.steps.map((step) => step.id),
      })),
    };
  },
});

export const startPipeline = defineTool({
  name: "start_pipeline",
  description:
    "Start a pipeline. Returns the execution id and status at once; follow it with wait_for_execution or get_execution. " +
    "An idempotencyKey makes a retried start return the execution the first one started.",
  input: z.object({
    template: z.string().min(1).max(64).describe("The template id, from list_pipelines"),
    params: z.record(z.string(), z.unknown()).default({}).describe("Param values, as list_pipelines describes them"),
    idempotencyKey: z.string().min(1).max(200).optional(),
  }),
  run: (input, { caller, mcp }) => startForAssistant(caller, mcp, input),
});
