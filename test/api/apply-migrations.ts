import { applyD1Migrations, env } from "cloudflare:test";

// Every test file in the workers project starts from the real schema.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS ?? []);
