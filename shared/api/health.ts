/** `GET /v1/health`: liveness and version, without a token. */
import { z } from "zod";

export const healthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptimeMs: z.number().int(),
});
export type Health = z.infer<typeof healthSchema>;
