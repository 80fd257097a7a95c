/** `get_execution` and `cancel_execution`: reading an execution (trimmed) and stopping it. */
import { z } from "zod";
import { control } from "../../services/execution-control.ts";
import { visibleExecution } from "../access.ts";
import { defineTool } from "../tool.ts";
import { trimExecution } from "../trim.ts";

export const executionId = z.string().min(1).max(100).describe("The execution id (ex_…)");

export const getExecution = defineTool({
  name: "get_execution",
  description:
    "Read an execution: status, each step's status and output, cost. Large values are cut; `leftOut` says what was.",
  input: z.object({ id: executionId }),
  run: async ({ id }, { caller, mcp }) => trimExecution(await visibleExecution(caller, mcp, id)),
});

export const cancelExecution = defineTool({
  name: "cancel_execution",
  description: "Cancel an execution that has not ended. Running steps are stopped; nothing after them runs.",
  input: z.object({ id: executionId, reason: z.string().max(500).optional() }),
  async run({ id, reason }, { caller, mcp }) {
    await visibleExecution(caller, mcp, id);
    return trimExecution(await control(caller, id, "cancel", reason ?? "cancelled by an AI assistant"));
  },
});
