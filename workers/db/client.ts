import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** A drizzle client over D1 (or a D1 read-replica session). */
export function createDb(d1: D1Database | D1DatabaseSession) {
  return drizzle(d1 as D1Database, { schema });
}

export type Db = ReturnType<typeof createDb>;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
