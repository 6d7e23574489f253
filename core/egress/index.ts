export { createEgress, type Egress, type EgressOptions, type EgressRequestInit, type EgressResponse } from "./create-egress";
export { checkEgressUrl, defaultAllowedPorts, type EgressPolicy } from "./check-egress-url";
export { EgressError, isEgressError, type EgressErrorCode } from "./egress-error";
export { isDeniedAddress, isLoopbackAddress } from "./denied-ranges";
export { readBodyBytes } from "./limit-body";
