export { hashPassword, verifyPassword, passwordProblem, PASSWORD_ITERATIONS } from "./password";
export { randomToken, newApiKey, apiKeyHint, hashToken } from "./tokens";
export { SecretBox, maskSecret } from "./secret-box";
export { sha256Hex, constantTimeEqual, toBase64, fromBase64 } from "./encoding";
export { TokenSigner } from "./signed-token";
