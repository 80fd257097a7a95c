/**
 * Cross-origin access to the public API (`/v1/cors`): the browser origins allowed to call it. Every
 * other origin is refused: no CORS headers, and its preflight answered 403.
 */
import { z } from "zod";

/** `https://app.example.com` (scheme, host, optional port; no path), or `*` for any origin. */
export const ORIGIN_PATTERN = /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/;

export const corsSettingsSchema = z.strictObject({
  allowedOrigins: z
    .array(z.string().max(300).regex(ORIGIN_PATTERN, "use an origin such as https://app.example.com (no path), or *"))
    .max(100)
    .default([]),
});
export type CorsSettings = z.infer<typeof corsSettingsSchema>;
