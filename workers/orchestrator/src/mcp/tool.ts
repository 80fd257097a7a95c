/**
 * What an MCP tool is in Baton: a name, a description, a zod input and a function from checked input to
 * a JSON answer. Built-in tools and per-template tools share this shape, so the server lists and calls
 * them the same way, and a new tool (fork) is one small file added to `tools/index.ts`.
 */
import { z } from "zod";
import type { McpConfig } from "#shared/config.ts";
import type { Caller } from "../services/caller.ts";

/** What a tool may use while it runs: who is calling, the assistant guardrails, and progress reports. */
export interface ToolContext {
  caller: Caller;
  mcp: McpConfig;
  /** Sends an MCP progress notification when the client asked for them (a progressToken); else nothing. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  signal: AbortSignal;
}

export type JsonSchemaObject = { type: "object"; [key: string]: unknown };

/** A tool ready to list and call: its input both as JSON Schema (for the client) and as a checker. */
export interface McpTool {
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  call(input: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** Thrown for input a tool cannot use; the server answers it as a tool error naming each bad field. */
export class ToolInputError extends Error {
  override readonly name = "ToolInputError";
}

/** A built-in tool from a zod object schema: listed as JSON Schema, its input parsed before `run`. */
export function defineTool<S extends z.ZodObject>(tool: {
  name: string;
  description: string;
  input: S;
  run(input: z.infer<S>, context: ToolContext): Promise<unknown>;
}): McpTool {
  const { $schema: _, ...inputSchema } = z.toJSONSchema(tool.input, { io: "input" }) as JsonSchemaObject & { $schema?: string };
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: { ...inputSchema, type: "object" },
    async call(input, context) {
      const parsed = tool.input.safeParse(input);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`);
        throw new ToolInputError(`The arguments of ${tool.name} are invalid: ${issues.join("; ")}.`);
      }
      return tool.run(parsed.data, context);
    },
  };
}
