import type { Context } from "hono";
import { BadRequestError, ForbiddenError, NotFoundError } from "../../core/errors";
import type { App, AppVersion } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { runChatTurn, type TurnCaller } from "./chat-turn";

type Json = Record<string, unknown>;

/** Dify's temperature for "More like this": the same request, more varied. */
export const MORE_LIKE_THIS_TEMPERATURE = 0.9;

/**
 * Dify's "More like this" for text generators: the inputs (and query) of an earlier message of
 * the caller run again with the temperature at 0.9, as a new message. The app's current config
 * (`version`: published for visitors and the API, the draft in the console) must have the
 * `more_like_this` feature on, else 403 `app_more_like_this_disabled`.
 */
export async function moreLikeThis(c: Context<AppEnv>, app: App, options: { version: AppVersion; messageId: string; caller: TurnCaller; streaming: boolean }): Promise<Response> {
  if (app.mode !== "completion") throw new BadRequestError("Please check if your app mode matches the right API route.", "not_completion_app");
  const config = options.version.modelConfig ?? {};
  if ((config.more_like_this as Json | undefined)?.enabled !== true) throw new ForbiddenError("The 'More like this' feature is disabled. Please refresh your page.", "app_more_like_this_disabled");
  const message = await c.var.tenant.conversations.getMessage(app.id, options.messageId);
  if (!message || message.endUserId !== options.caller.ownerId) throw new NotFoundError("Message Not Exists.");
  const model = (config.model as Json | undefined) ?? {};
  const modelConfig = { ...config, model: { ...model, completion_params: { ...((model.completion_params as Json | undefined) ?? {}), temperature: MORE_LIKE_THIS_TEMPERATURE } } };
  return runChatTurn(c, app, {
    mode: "completion",
    version: { ...options.version, modelConfig },
    query: message.query,
    inputs: message.inputs,
    caller: options.caller,
    streaming: options.streaming,
  });
}
