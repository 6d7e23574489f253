export { nextRunAt, type Schedule } from "./schedule";
export { verifyWebhookSecret, webhookInputs, type WebhookCredentials } from "./webhook";
