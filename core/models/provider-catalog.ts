/**
 * The providers Waggle knows, under Dify's identifiers and credential field names so imported
 * DSLs and Dify clients resolve. `configurate_methods` follows Dify: `predefined-model` providers
 * take one credential for the whole provider; `customizable-model` ones take credentials per model.
 */

/** Dify's model types that Waggle serves (`moderation` is not one of them). */
export const modelTypes = ["llm", "text-embedding", "rerank", "speech2text", "tts"] as const;
export type ModelType = (typeof modelTypes)[number];
export type ConfigurateMethod = "predefined-model" | "customizable-model";

export interface CredentialFormField {
  variable: string;
  label: { en_US: string };
  type: "text-input" | "secret-input" | "select" | "radio" | "switch";
  required: boolean;
  default?: string;
  placeholder?: { en_US: string };
  options?: Array<{ value: string; label: { en_US: string } }>;
  /** Dify's `show_on`: the field applies only when every condition holds (`__model_type` is the model's type). */
  show_on?: Array<{ variable: string; value: string }>;
}

export interface ProviderSpec {
  provider: string;
  label: { en_US: string };
  supported_model_types: ModelType[];
  configurate_methods: ConfigurateMethod[];
  provider_credential_schema?: { credential_form_schemas: CredentialFormField[] };
  model_credential_schema?: { model: { label: { en_US: string } }; credential_form_schemas: CredentialFormField[] };
  /** Models offered without per-model configuration; the first is used to validate credentials. */
  predefined_models: Array<{ model: string; model_type: ModelType; mode?: "chat" | "completion"; context_size?: number; voices?: string[] }>;
}

const text = (variable: string, label: string, required: boolean, extra: Partial<CredentialFormField> = {}): CredentialFormField => ({
  variable,
  label: { en_US: label },
  type: "text-input",
  required,
  ...extra,
});
const secret = (variable: string, label: string, required = true): CredentialFormField => ({ variable, label: { en_US: label }, type: "secret-input", required });
/** The field once per model type it applies to, as Dify's provider YAML writes it. */
const forTypes = (types: ModelType[], field: CredentialFormField): CredentialFormField[] => types.map((type) => ({ ...field, show_on: [{ variable: "__model_type", value: type }] }));

/** OpenAI's speech voices; `alloy` is the default, as in Dify's `tts-1.yaml`. */
export const OPENAI_VOICES = ["alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse"];

export const providerCatalog: ProviderSpec[] = [
  {
    provider: "openai",
    label: { en_US: "OpenAI" },
    supported_model_types: ["llm", "text-embedding", "speech2text", "tts"],
    configurate_methods: ["predefined-model"],
    provider_credential_schema: {
      credential_form_schemas: [
        secret("openai_api_key", "API Key"),
        text("openai_organization", "Organization", false),
        text("openai_api_base", "API Base", false, { placeholder: { en_US: "https://api.openai.com" } }),
      ],
    },
    predefined_models: [
      { model: "gpt-4o-mini", model_type: "llm", mode: "chat", context_size: 128000 },
      { model: "gpt-4o", model_type: "llm", mode: "chat", context_size: 128000 },
      { model: "gpt-4.1", model_type: "llm", mode: "chat", context_size: 1047576 },
      { model: "gpt-4.1-mini", model_type: "llm", mode: "chat", context_size: 1047576 },
      { model: "text-embedding-3-small", model_type: "text-embedding", context_size: 8191 },
      { model: "text-embedding-3-large", model_type: "text-embedding", context_size: 8191 },
      { model: "whisper-1", model_type: "speech2text" },
      { model: "gpt-4o-mini-transcribe", model_type: "speech2text" },
      { model: "gpt-4o-transcribe", model_type: "speech2text" },
      { model: "tts-1", model_type: "tts", voices: OPENAI_VOICES },
      { model: "tts-1-hd", model_type: "tts", voices: OPENAI_VOICES },
      { model: "gpt-4o-mini-tts", model_type: "tts", voices: OPENAI_VOICES },
    ],
  },
  {
    provider: "openai_api_compatible",
    label: { en_US: "OpenAI-API-compatible" },
    supported_model_types: ["llm", "text-embedding", "rerank", "speech2text", "tts"],
    configurate_methods: ["customizable-model"],
    model_credential_schema: {
      model: { label: { en_US: "Model Name" } },
      credential_form_schemas: [
        text("display_name", "Model display name", false),
        secret("api_key", "API Key", false),
        text("endpoint_url", "API endpoint URL", true, { placeholder: { en_US: "https://api.openai.com/v1" } }),
        text("endpoint_model_name", "model name for API endpoint", false),
        ...forTypes(["llm"], {
          variable: "mode",
          label: { en_US: "Completion mode" },
          type: "select",
          required: false,
          default: "chat",
          options: [
            { value: "chat", label: { en_US: "Chat" } },
            { value: "completion", label: { en_US: "Completion" } },
          ],
        }),
        ...forTypes(["llm", "text-embedding", "rerank"], text("context_size", "Model context size", true, { default: "4096" })),
        ...forTypes(["llm"], text("max_tokens_to_sample", "Upper bound for max tokens", false, { default: "4096" })),
        ...forTypes(["llm"], {
          variable: "function_calling_type",
          label: { en_US: "Function calling" },
          type: "select",
          required: false,
          default: "no_call",
          options: [
            { value: "function_call", label: { en_US: "Function Call" } },
            { value: "tool_call", label: { en_US: "Tool Call" } },
            { value: "no_call", label: { en_US: "Not Support" } },
          ],
        }),
        ...forTypes(["tts"], text("voices", "Available voices (comma-separated; the first is the default)", false, { default: "alloy", placeholder: { en_US: "alloy, nova" } })),
      ],
    },
    predefined_models: [],
  },
  {
    provider: "anthropic",
    label: { en_US: "Anthropic" },
    supported_model_types: ["llm"],
    configurate_methods: ["predefined-model"],
    provider_credential_schema: {
      credential_form_schemas: [secret("anthropic_api_key", "API Key"), text("anthropic_api_url", "API URL", false)],
    },
    predefined_models: [
      { model: "claude-3-5-haiku-latest", model_type: "llm", mode: "chat", context_size: 200000 },
      { model: "claude-sonnet-4-0", model_type: "llm", mode: "chat", context_size: 200000 },
    ],
  },
  {
    provider: "gemini",
    label: { en_US: "Gemini" },
    supported_model_types: ["llm", "text-embedding"],
    configurate_methods: ["predefined-model"],
    provider_credential_schema: {
      credential_form_schemas: [secret("google_api_key", "API Key"), text("google_base_url", "Base URL", false)],
    },
    predefined_models: [
      { model: "gemini-2.5-flash", model_type: "llm", mode: "chat", context_size: 1048576 },
      { model: "gemini-2.5-pro", model_type: "llm", mode: "chat", context_size: 1048576 },
    ],
  },
  {
    provider: "workers_ai",
    label: { en_US: "Cloudflare Workers AI" },
    supported_model_types: ["llm", "text-embedding"],
    configurate_methods: ["predefined-model"],
    provider_credential_schema: { credential_form_schemas: [] },
    predefined_models: [
      { model: "@cf/meta/llama-3.1-8b-instruct", model_type: "llm", mode: "chat", context_size: 8192 },
      { model: "@cf/baai/bge-base-en-v1.5", model_type: "text-embedding", context_size: 512 },
    ],
  },
];

const aliases: Record<string, string> = { google: "gemini", "cloudflare-workers-ai": "workers_ai", workersai: "workers_ai" };

/**
 * Dify's plugin-style ids (`langgenius/openai/openai`) and short ids (`openai`) to Waggle's name.
 *
 * @example
 * canonicalProvider("langgenius/openai_api_compatible/openai_api_compatible") // "openai_api_compatible"
 */
export function canonicalProvider(provider: string): string {
  const short = provider.includes("/") ? provider.split("/").pop()! : provider;
  return aliases[short] ?? short;
}

export function findProvider(provider: string): ProviderSpec | undefined {
  const name = canonicalProvider(provider);
  return providerCatalog.find((spec) => spec.provider === name);
}

/** The form fields that apply to a model of this type (Dify's `show_on` on `__model_type`). */
export function fieldsForModelType(fields: CredentialFormField[], modelType: ModelType): CredentialFormField[] {
  return fields.filter((field) => (field.show_on ?? []).every((condition) => condition.variable !== "__model_type" || condition.value === modelType));
}

/** The `secret-input` fields of a provider's forms, which are stored encrypted and shown masked. */
export function secretFields(spec: ProviderSpec): string[] {
  const fields = [...(spec.provider_credential_schema?.credential_form_schemas ?? []), ...(spec.model_credential_schema?.credential_form_schemas ?? [])];
  return fields.filter((field) => field.type === "secret-input").map((field) => field.variable);
}
