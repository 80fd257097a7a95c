/** The drizzle handle over the D1 binding, made once per binding (it holds no connection, but building its schema map costs). */
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Database = ReturnType<typeof makeDatabase>;

const handles = new WeakMap<D1Database, Database>();

function makeDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

export function database(d1: D1Database): Database {
  let handle = handles.get(d1);
  if (!handle) {
    handle = makeDatabase(d1);
    handles.set(d1, handle);
  }
  return handle;
}

export { schema };
