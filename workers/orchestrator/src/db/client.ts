/** The drizzle handle over the D1 binding; one per request is cheap (it holds no connection). */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Database = ReturnType<typeof database>;

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

export { schema };
