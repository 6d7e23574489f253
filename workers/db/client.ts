import { drizzle } from "drizzle-orm/d1";

/**
 * A drizzle client over D1 (or a D1 read-replica session). Repositories use the query builder
 * only, so no schema is passed: drizzle builds its relational config from a schema on every call,
 * which showed as about 4% of workerd's CPU in a `bench:runs` profile (a client is made per request).
 */
export function createDb(d1: D1Database | D1DatabaseSession) {
  return drizzle(d1 as D1Database);
}

export type Db = ReturnType<typeof createDb>;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
