/**
 * The built-in MCP tools, in the order clients list them. A new tool is one file exporting a
 * `defineTool(…)`, added here.
 */
import type { McpTool } from "../tool.ts";
import { approveStep, listApprovals, rejectStep } from "./approvals.ts";
import { cancelExecution, getExecution } from "./executions.ts";
import { forkExecution } from "./fork.ts";
import { listPipelines, startPipeline } from "./pipelines.ts";
import { waitForExecution } from "./wait.ts";

export const builtInTools: readonly McpTool[] = [
  listPipelines,
  startPipeline,
  getExecution,
  waitForExecution,
  listApprovals,
  approveStep,
  rejectStep,
  cancelExecution,
  forkExecution,
];
