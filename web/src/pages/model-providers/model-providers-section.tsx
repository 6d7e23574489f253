import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { MODEL_TYPES, modelProviderApi, type DefaultModel, type ModelProvider, type ModelType, type ProviderModel } from "../../model-provider-api";
import { canManageModelProviders } from "../../session";
import { CredentialsModal } from "./credentials-modal";
import { DefaultModelsCard } from "./default-models-card";
import { hasUsableProvider, modelOptions } from "./model-options";
import { ProviderCard, type CredentialsTarget } from "./provider-card";

/** Settings → Model providers: every provider with its status, credentials and models, and the default model per type. */
export function ModelProvidersSection() {
  const providers = useSignal<ModelProvider[]>([]);
  const models = useSignal<Record<string, ProviderModel[]>>({});
  const defaults = useSignal<Partial<Record<ModelType, DefaultModel | null>>>({});
  const loading = useSignal(true);
  const error = useSignal("");
  const editing = useSignal<{ provider: ModelProvider; target: CredentialsTarget } | null>(null);
  const manage = canManageModelProviders.value;

  const load = async () => {
    try {
      const list = (await modelProviderApi.providers()).data;
      const [modelLists, defaultList] = await Promise.all([
        Promise.all(list.map((p) => (p.available ? modelProviderApi.models(p.provider).then((r) => r.data) : Promise.resolve([])))),
        Promise.all(MODEL_TYPES.map((t) => modelProviderApi.defaultModel(t.value).then((r) => r.data))),
      ]);
      providers.value = list;
      models.value = Object.fromEntries(list.map((p, i) => [p.provider, modelLists[i]!]));
      defaults.value = Object.fromEntries(MODEL_TYPES.map((t, i) => [t.value, defaultList[i] ?? null]));
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, []);

  const options = Object.fromEntries(MODEL_TYPES.map((t) => [t.value, modelOptions(providers.value, models.value, t.value)])) as Record<ModelType, ReturnType<typeof modelOptions>>;
  const usable = hasUsableProvider(providers.value, models.value);

  return (
    <div class="stack grow" data-testid="model-providers">
      <div class="page-header">
        <div>
          <h1>Model providers</h1>
          <p class="muted">The models this workspace's apps, workflows and datasets can call. Credentials are checked with the provider before they are saved.</p>
        </div>
      </div>
      <ErrorText message={error.value} testId="providers-error" />
      {!manage && (
        <div class="card muted" data-testid="providers-read-only">
          Model providers are managed by admins and the owner. You can see which are configured.
        </div>
      )}
      {!loading.value && !error.value && !usable && (
        <div class="empty-state compact-empty" data-testid="providers-empty">
          <div class="empty-icon">🔌</div>
          <h2>No model provider yet — add one to run apps</h2>
          <p class="muted">
            {manage
              ? "Set up a provider below, or add any OpenAI-compatible endpoint (Ollama, vLLM, LM Studio…) under OpenAI-API-compatible."
              : "Ask an admin or the owner of this workspace to add one."}
          </p>
        </div>
      )}
      {!loading.value && providers.value.length > 0 && <DefaultModelsCard defaults={defaults.value} options={options} canManage={manage} onChanged={() => void load()} />}
      {loading.value && <p class="muted">Loading…</p>}
      <div class="stack" data-testid="provider-list">
        {providers.value.map((provider) => (
          <ProviderCard
            key={provider.provider}
            provider={provider}
            models={models.value[provider.provider] ?? []}
            canManage={manage}
            onConfigure={(target) => (editing.value = { provider, target })}
            onChanged={() => void load()}
          />
        ))}
      </div>
      {editing.value && (
        <CredentialsModal
          provider={editing.value.provider}
          target={editing.value.target}
          onClose={() => (editing.value = null)}
          onSaved={() => {
            const { provider, target } = editing.value!;
            editing.value = null;
            showToast(target.kind === "model" ? "Model saved" : `${provider.label.en_US} saved`);
            void load();
          }}
        />
      )}
    </div>
  );
}
