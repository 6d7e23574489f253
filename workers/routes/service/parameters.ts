import type { AppVersion } from "../../db/repositories";

type Json = Record<string, unknown>;

const off = { enabled: false };
/** Dify's `text_to_speech` carries its voice, language and autoplay setting even when off. */
const ttsDefaults = { enabled: false, voice: "", language: "", autoPlay: "disabled" };

/** Dify's `user_input_form` item for a start-node variable. */
function formItem(variable: Json): Json {
  const type = String(variable.type ?? "text-input");
  const base = {
    label: variable.label ?? variable.variable,
    variable: variable.variable,
    required: variable.required ?? false,
    default: variable.default ?? "",
    ...(variable.max_length !== undefined ? { max_length: variable.max_length } : {}),
    ...(variable.options !== undefined ? { options: variable.options } : {}),
    ...(type === "file" || type === "file-list"
      ? { allowed_file_types: variable.allowed_file_types, allowed_file_extensions: variable.allowed_file_extensions, allowed_file_upload_methods: variable.allowed_file_upload_methods }
      : {}),
  };
  return { [type]: base };
}

function startVariables(version: AppVersion): Json[] {
  const nodes = (version.graph?.nodes as Json[] | undefined) ?? [];
  const start = nodes.find((node) => (node.data as Json | undefined)?.type === "start");
  return (((start?.data as Json | undefined)?.variables as Json[] | undefined) ?? []).map(formItem);
}

/**
 * `GET /v1/parameters`, from the published version (workflow features or easy-mode model config).
 * `annotation_reply` is the app's live setting (switched on and off through the annotation-reply
 * jobs, not by publishing), when given.
 */
export function parametersFromVersion(mode: string, version: AppVersion, annotationReply?: Json): Json {
  const source: Json = mode === "workflow" || mode === "advanced-chat" ? version.features : (version.modelConfig ?? {});
  const feature = (key: string) => (source[key] as Json | undefined) ?? off;
  return {
    opening_statement: source.opening_statement ?? "",
    suggested_questions: source.suggested_questions ?? [],
    suggested_questions_after_answer: feature("suggested_questions_after_answer"),
    speech_to_text: feature("speech_to_text"),
    text_to_speech: { ...ttsDefaults, ...feature("text_to_speech") },
    retriever_resource: feature("retriever_resource"),
    annotation_reply: annotationReply ?? feature("annotation_reply"),
    more_like_this: feature("more_like_this"),
    sensitive_word_avoidance: feature("sensitive_word_avoidance"),
    user_input_form: version.graph ? startVariables(version) : ((source.user_input_form as Json[] | undefined) ?? []),
    file_upload: source.file_upload ?? { image: { enabled: false, number_limits: 3, transfer_methods: ["local_file", "remote_url"] } },
    system_parameters: {
      file_size_limit: 15,
      image_file_size_limit: 10,
      audio_file_size_limit: 50,
      video_file_size_limit: 100,
      workflow_file_upload_limit: 10,
    },
  };
}
