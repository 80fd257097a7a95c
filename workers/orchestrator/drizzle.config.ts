/** drizzle-kit's view of the D1 schema: `npm run db:generate` writes a new numbered migration from it. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/orchestrator/src/db/schema.ts",
  out: "./migrations",
});
