import { useEffect, useMemo, useState } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { Modal } from "../../components/modal";
import { MODEL_TYPES, modelProviderApi, type ModelProvider, type ModelType } from "../../model-provider-api";
import { CredentialFields } from "./credential-fields";
import { credentialsFrom, fieldsFromSchema, formProblem, initialValues } from "./credential-form";

interface Props {
  provider: ModelProvider;
  /** A customizable provider's model: new (no `model`) or an existing one to edit. */
  target: { kind: "provider" } | { kind: "model"; model?: string; modelType?: ModelType };
  onClose: () => void;
  onSaved: () => void;
}

/**
 * Provider credentials, or one model of a customizable provider (name, type and its credentials).
 * Saved values come back masked; sending a masked secret back unchanged keeps the stored one.
 * The API validates by calling the model, so a wrong key or URL is reported here before anything is stored.
 */
export function CredentialsModal({ provider, target, onClose, onSaved }: Props) {
  const forModel = target.kind === "model";
  const editing = forModel ? Boolean(target.model) : provider.custom_configuration.status === "active";
  const fields = useMemo(
    () => fieldsFromSchema((forModel ? provider.model_credential_schema?.credential_form_schemas : provider.provider_credential_schema?.credential_form_schemas) ?? []),
    [provider, forModel],
  );
  const types = provider.supported_model_types;
  const [model, setModel] = useState(forModel ? (target.model ?? "") : "");
  const [modelType, setModelType] = useState<ModelType>(forModel ? (target.modelType ?? types[0] ?? "llm") : "llm");
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(fields, null));
  const [loading, setLoading] = useState(editing);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    if (!editing) return;
    const load = forModel ? modelProviderApi.modelCredentials(provider.provider, target.model!, target.modelType ?? "llm") : modelProviderApi.credentials(provider.provider);
    load
      .then(({ credentials }) => setValues(initialValues(fields, credentials)))
      .catch((caught) => setError(errorMessage(caught)))
      .finally(() => setLoading(false));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (forModel && !model.trim()) return setError(`${provider.model_credential_schema?.model.label.en_US ?? "Model name"} is required.`);
    const problem = formProblem(fields, values);
    if (problem) return setError(problem);
    setBusy(true);
    setError("");
    try {
      const credentials = credentialsFrom(fields, values);
      if (forModel) await modelProviderApi.saveModel(provider.provider, { model: model.trim(), model_type: modelType, credentials });
      else await modelProviderApi.saveCredentials(provider.provider, credentials);
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  const label = provider.label.en_US;
  const title = forModel ? (editing ? `Edit ${target.model}` : `Add model to ${label}`) : `${label} credentials`;
  return (
    <Modal
      title={title}
      onClose={onClose}
      testId="credentials-modal"
      wide
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="credentials-form" class="btn btn-primary" data-testid="credentials-save" disabled={busy || loading}>
            {busy ? "Checking with the provider…" : "Save"}
          </button>
        </>
      }
    >
      <form id="credentials-form" class="form" noValidate onSubmit={submit} data-testid="credentials-form">
        <p class="muted small">Waggle checks the credentials with one small request to the model before saving them. Secrets are stored encrypted and shown only masked.</p>
        {forModel && (
          <div class="grid-2">
            <div class="field">
              <label class="field-label" for="model-name">
                {provider.model_credential_schema?.model.label.en_US ?? "Model name"}
                <span class="required-mark" aria-hidden="true">
                  {" "}
                  *
                </span>
              </label>
              <input
                id="model-name"
                type="text"
                data-testid="model-name"
                required
                disabled={editing}
                placeholder="e.g. gpt-4o-mini, llama3.1:8b"
                value={model}
                onInput={(e) => setModel(e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label class="field-label" for="model-type">
                Model type
              </label>
              <select id="model-type" data-testid="model-type" disabled={editing} value={modelType} onChange={(e) => setModelType(e.currentTarget.value as ModelType)}>
                {types.map((type) => (
                  <option key={type} value={type}>
                    {MODEL_TYPES.find((t) => t.value === type)?.label ?? type}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        {loading ? <p class="muted">Loading saved credentials…</p> : <CredentialFields fields={fields} values={values} onChange={(name, value) => setValues({ ...values, [name]: value })} testPrefix="credential" />}
        <ErrorText message={error} testId="credentials-error" />
      </form>
    </Modal>
  );
}
