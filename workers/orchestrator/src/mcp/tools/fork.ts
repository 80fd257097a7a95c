/** `fork_execution`: run an ended execution again from one step, reusing the outputs before it at no cost. */
import { z } from "zod";
import * as executions from "../../services/executions.ts";
import { visibleExecution } from "../access.ts";
import { defineTool } from "../tool.ts";
import { executionId } from "./executions.ts";

export const forkExecution = defineTool({
  name: "fork_execution",
  description:
    "Start a new execution of an ended one from `fromStep`: steps before it are reused with their outputs (no agent call, no cost), `fromStep` runs with `input` if given, everything after it runs fresh. `params` override the origin's.",
  input: z.object({
    id: executionId,
    fromStep: z.string().min(1).max(64).describe("The step to run again, and everything after it"),
    input: z.record(z.string(), z.unknown()).optional().describe("A new input for `fromStep`, checked against its agent's schema"),
    params: z.record(z.string(), z.unknown()).optional().describe("Params that replace the origin's"),
  }),
  async run({ id, fromStep, input, params }, { caller, mcp }) {
    await visibleExecution(caller, mcp, id);
    return executions.fork(caller, id, { fromStep, ...(input !== undefined ? { input } : {}), ...(params !== undefined ? { params } : {}) });
  },
});
