/**
 * The one error format of the public API (docs/architecture.md: `{ error: { code, message, details? } }`) and the
 * stable codes a client can branch on. The same codes cross RPC.
 */
import { z } from "zod";
import { type ErrorCode, errorStatus } from "./error-codes.ts";

export { type ErrorCode, errorStatus };

/** One problem with one field of a request, named by its path (`steps.2.needs.0`). */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.union([z.array(fieldIssueSchema), z.record(z.string(), z.unknown())]).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Renders a path array from zod or a validator as `a.b.0.c`; the empty path is the body itself. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join(".");
}
