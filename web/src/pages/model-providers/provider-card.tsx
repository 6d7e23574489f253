import { useSignal } from "@preact/signals";
import { Fragment } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { errorMessage } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { MODEL_TYPES, modelProviderApi, type Credentials, type ModelProvider, type ModelType, type ProviderModel } from "../../model-provider-api";
import { fieldsFromSchema, savedSummary } from "./credential-form";

export type CredentialsTarget = { kind: "provider" } | { kind: "model"; model?: string; modelType?: ModelType };

interface Props {
  provider: ModelProvider;
  models: ProviderModel[];
  canManage: boolean;
  onConfigure: (target: CredentialsTarget) => void;
  onChanged: () => void;
}

const typeLabel = (type: string) => MODEL_TYPES.find((t) => t.value === type)?.label ?? type;

/** One provider: its status, its saved (masked) credentials or configured models, and the actions the role allows. */
export function ProviderCard({ provider, models, canManage, onConfigure, onChanged }: Props) {
  const customizable = provider.configurate_methods.includes("customizable-model");
  const configured = provider.custom_configuration.status === "active";
  const custom = models.filter((m) => m.fetch_from === "customizable-model");
  const status = !provider.available ? "unavailable" : configured || custom.length > 0 ? "configured" : "not-configured";
  const saved = useSignal<Credentials | null>(null);
  const error = useSignal("");
  const fields = useMemo(() => fieldsFromSchema(provider.provider_credential_schema?.credential_form_schemas ?? []), [provider]);
  const takesCredentials = !customizable && fields.length > 0;

  useEffect(() => {
    // Only owners and admins may read credentials, and only predefined providers have provider-wide ones.
    if (!canManage || !takesCredentials || !configured) {
      saved.value = null;
      return;
    }
    modelProviderApi
      .credentials(provider.provider)
      .then((answer) => (saved.value = answer.credentials))
      .catch((caught) => (error.value = errorMessage(caught)));
  }, [provider, configured, canManage]);

  const removeCredentials = () =>
    confirmAction({
      title: `Remove ${provider.label.en_US}`,
      message: `Remove the ${provider.label.en_US} credentials? Apps using its models stop working until they are added again.`,
      confirmLabel: "Remove",
      danger: true,
      action: async () => {
        await modelProviderApi.deleteCredentials(provider.provider);
        showToast(`${provider.label.en_US} removed`);
        onChanged();
      },
    });

  const removeModel = (model: ProviderModel) =>
    confirmAction({
      title: "Remove model",
      message: `Remove ${model.model} (${typeLabel(model.model_type)})? Apps and datasets using it stop working until it is added again.`,
      confirmLabel: "Remove",
      danger: true,
      action: async () => {
        await modelProviderApi.deleteModel(provider.provider, model.model, model.model_type);
        showToast(`${model.model} removed`);
        onChanged();
      },
    });

  return (
    <div class="card provider-card" data-testid="provider-card" data-provider={provider.provider} data-status={status}>
      <div class="card-header">
        <div>
          <h2>
            {provider.label.en_US}
            <span
              class={`status-badge ${status === "configured" ? "status-active" : status === "unavailable" ? "status-failed" : "status-pending"}`}
              data-testid="provider-status"
            >
              {status === "configured" ? "Configured" : status === "unavailable" ? "Unavailable" : "Not configured"}
            </span>
          </h2>
          <div class="chips">
            {provider.supported_model_types.map((type) => (
              <span key={type} class="chip">
                {typeLabel(type)}
              </span>
            ))}
          </div>
        </div>
        {canManage && provider.available && (
          <div class="row gap">
            {customizable ? (
              <button type="button" class="btn btn-small btn-primary" data-testid="add-model" onClick={() => onConfigure({ kind: "model" })}>
                + Add model
              </button>
            ) : (
              takesCredentials && (
                <>
                  {configured && (
                    <button type="button" class="btn btn-small btn-danger-outline" data-testid="remove-provider" onClick={removeCredentials}>
                      Remove
                    </button>
                  )}
                  <button type="button" class={configured ? "btn btn-small" : "btn btn-small btn-primary"} data-testid="setup-provider" onClick={() => onConfigure({ kind: "provider" })}>
                    {configured ? "Edit credentials" : "Set up"}
                  </button>
                </>
              )
            )}
          </div>
        )}
      </div>

      {!provider.available && (
        <p class="muted small" data-testid="provider-unavailable">
          {provider.unavailable_reason ?? "Not available on this deployment."}
        </p>
      )}
      <ErrorText message={error.value} testId="provider-error" />

      {saved.value && (
        <dl class="facts compact-facts" data-testid="saved-credentials">
          {savedSummary(fields, saved.value).map((item) => (
            <Fragment key={item.label}>
              <dt>{item.label}</dt>
              <dd class={item.secret ? "mono" : undefined} data-testid={item.secret ? "masked-secret" : undefined}>
                {item.value}
              </dd>
            </Fragment>
          ))}
        </dl>
      )}

      {customizable &&
        (custom.length === 0 ? (
          <p class="muted small" data-testid="provider-models-empty">
            No models yet.{" "}
            {canManage ? "Add any OpenAI-compatible endpoint: Ollama, vLLM, LM Studio, Groq, DeepSeek, OpenRouter…" : "An admin or the owner can add one."}
          </p>
        ) : (
          <table class="table" data-testid="provider-models">
            <thead>
              <tr>
                <th>Model</th>
                <th>Type</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {custom.map((model) => (
                <tr key={`${model.model_type}:${model.model}`} data-testid="provider-model-row" data-model={model.model}>
                  <td class="mono">{model.model}</td>
                  <td>{typeLabel(model.model_type)}</td>
                  <td class="actions">
                    {canManage && (
                      <>
                        <button type="button" class="btn btn-small btn-ghost" data-testid="edit-model" onClick={() => onConfigure({ kind: "model", model: model.model, modelType: model.model_type })}>
                          Edit
                        </button>
                        <button type="button" class="btn btn-small btn-danger-outline" data-testid="remove-model" onClick={() => removeModel(model)}>
                          Remove
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </div>
  );
}
