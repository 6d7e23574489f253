import { createEgress, type Egress } from "../../core/egress";
import type { Env } from "../env";

/**
 * The SSRF-guarded egress for URLs a user typed (DSL import from a URL). Loopback is reachable
 * only when the local configuration says so explicitly (tests with a server on 127.0.0.1).
 */
export function createUserEgress(env: Env): Egress {
  return createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback: env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true" });
}
