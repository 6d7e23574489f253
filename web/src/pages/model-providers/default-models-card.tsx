import { useSignal } from "@preact/signals";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { MODEL_TYPES, modelProviderApi, type DefaultModel, type ModelType } from "../../model-provider-api";
import type { ModelOption } from "./model-options";

interface Props {
  defaults: Partial<Record<ModelType, DefaultModel | null>>;
  options: Record<ModelType, ModelOption[]>;
  canManage: boolean;
  onChanged: () => void;
}

/** The workspace's default model per type: what apps, workflows and datasets use unless they name one. */
export function DefaultModelsCard({ defaults, options, canManage, onChanged }: Props) {
  const error = useSignal("");
  const saving = useSignal<ModelType | null>(null);

  const choose = async (type: ModelType, value: string) => {
    const option = options[type].find((o) => o.value === value);
    if (!option) return;
    saving.value = type;
    error.value = "";
    try {
      await modelProviderApi.setDefaultModel(type, option.provider, option.model);
      const label = type === "llm" ? "LLM" : (MODEL_TYPES.find((t) => t.value === type)?.label ?? type).toLowerCase();
      showToast(`${option.model} is now the default ${label} model`);
      onChanged();
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      saving.value = null;
    }
  };

  return (
    <div class="card" data-testid="default-models">
      <div class="card-header">
        <div>
          <h2>Default models</h2>
          <p class="muted small">Used wherever an app, workflow node or dataset does not name a model of its own.</p>
        </div>
      </div>
      <div class="default-model-rows">
        {MODEL_TYPES.map((type) => {
          const current = defaults[type.value];
          const currentValue = current ? `${current.provider.provider}/${current.model}` : "";
          const choices = options[type.value];
          const known = choices.some((o) => o.value === currentValue);
          return (
            <div class="default-model-row" key={type.value} data-testid={`default-model-${type.value}`}>
              <div>
                <label class="field-label" for={`default-${type.value}`}>
                  {type.label}
                </label>
                <div class="field-hint">{type.description}</div>
              </div>
              {canManage ? (
                <select
                  id={`default-${type.value}`}
                  data-testid={`default-model-select-${type.value}`}
                  value={currentValue}
                  disabled={saving.value === type.value || (choices.length === 0 && !current)}
                  onChange={(e) => void choose(type.value, e.currentTarget.value)}
                >
                  {!currentValue && <option value="">{choices.length === 0 ? "No model of this type yet" : "Choose a model"}</option>}
                  {current && !known && (
                    <option value={currentValue} disabled>
                      {current.model} ({current.provider.label.en_US}, no longer configured)
                    </option>
                  )}
                  {choices.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.model} — {option.providerLabel}
                    </option>
                  ))}
                </select>
              ) : (
                <span data-testid={`default-model-value-${type.value}`}>{current ? `${current.model} — ${current.provider.label.en_US}` : <span class="muted">Not set</span>}</span>
              )}
            </div>
          );
        })}
      </div>
      {options["text-embedding"].length === 0 && (
        <p class="muted small">Without an embedding model, datasets use the built-in hashing embedder, which matches shared words rather than meaning.</p>
      )}
      <ErrorText message={error.value} testId="default-model-error" />
    </div>
  );
}
