import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { MODERATION_LIMITS, MODERATION_TYPES, moderationProblems } from "../../../core/dsl/moderation";
import { errorMessage, request } from "../api";
import {
  FILE_TYPES,
  MAX_FILES,
  TRANSFER_METHODS,
  isEnabled,
  openingStatement,
  parseExtensions,
  readFileUpload,
  readModerationForm,
  readSpeech,
  setEnabled,
  setOpeningStatement,
  setSuggestedQuestions,
  suggestedQuestions,
  toggleIn,
  writeFileUpload,
  writeModeration,
  writeSpeech,
  type Features,
  type Toggle,
} from "./app-features";
import { Labelled, ListEditor, TextInput } from "./form-controls";

const TYPE_LABELS: Record<string, string> = { image: "Images", document: "Documents", audio: "Audio", video: "Video", custom: "Other (by extension)" };
const METHOD_LABELS: Record<string, string> = { local_file: "Upload from device", remote_url: "Link (URL)" };

/** Languages Dify's text-to-speech setting offers (the voice reads the answer in it). */
const SPEECH_LANGUAGES: [string, string][] = [
  ["", "The answer's own"],
  ["en-US", "English"],
  ["zh-Hans", "Chinese (Simplified)"],
  ["zh-Hant", "Chinese (Traditional)"],
  ["ja-JP", "Japanese"],
  ["ko-KR", "Korean"],
  ["fr-FR", "French"],
  ["de-DE", "German"],
  ["es-ES", "Spanish"],
  ["it-IT", "Italian"],
  ["pt-BR", "Portuguese"],
  ["ru-RU", "Russian"],
];

/** Text to speech's voice (from the workspace's default Text-to-Speech model), language and auto-play. */
function SpeechSettings({ appId, features, readOnly, onChange }: { appId: string; features: Features; readOnly: boolean; onChange: (next: Features) => void }) {
  const speech = readSpeech(features);
  const [voices, setVoices] = useState<{ name: string; value: string }[] | null>(null);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    let current = true;
    // Voices come from the default Text-to-Speech model; without one there is nothing to ask for.
    request<{ data: unknown }>("GET", "/workspaces/current/default-model?model_type=tts")
      .then(async ({ data }) => {
        if (!data) throw new Error("No Text-to-Speech model is set: choose a default one under Settings → Model providers.");
        const list = await request<{ name: string; value: string }[]>("GET", `/apps/${encodeURIComponent(appId)}/text-to-audio/voices`);
        if (current) setVoices(list);
      })
      .catch((caught) => current && (setVoices([]), setProblem(errorMessage(caught))));
    return () => {
      current = false;
    };
  }, [appId]);
  const known = voices?.some((voice) => voice.value === speech.voice) ?? false;
  return (
    <div class="wf-feature-body">
      <Labelled label="Voice">
        <select value={speech.voice} disabled={readOnly || voices === null} data-testid="speech-voice" onChange={(e) => onChange(writeSpeech(features, { voice: e.currentTarget.value }))}>
          <option value="">{voices === null ? "Loading voices…" : "The model's default voice"}</option>
          {speech.voice && !known && voices !== null && <option value={speech.voice}>{speech.voice} (not offered by the current model)</option>}
          {(voices ?? []).map((voice) => (
            <option key={voice.value} value={voice.value}>
              {voice.name}
            </option>
          ))}
        </select>
        {problem && (
          <span class="field-hint" data-testid="speech-voice-problem">
            {problem}
          </span>
        )}
      </Labelled>
      <Labelled label="Language">
        <select value={speech.language} disabled={readOnly} data-testid="speech-language" onChange={(e) => onChange(writeSpeech(features, { language: e.currentTarget.value }))}>
          {SPEECH_LANGUAGES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Labelled>
      <label class="wf-check">
        <input type="checkbox" checked={speech.autoPlay} disabled={readOnly} data-testid="speech-autoplay" onChange={(e) => onChange(writeSpeech(features, { autoPlay: e.currentTarget.checked }))} /> Read each answer aloud as it arrives
      </label>
    </div>
  );
}

const SWITCHES: { key: Toggle; label: string; hint: string }[] = [
  { key: "more_like_this", label: "More like this", hint: "Offer a button under each result that generates another like it." },
  { key: "suggested_questions_after_answer", label: "Follow-up suggestions", hint: "Suggest three next questions after each answer." },
  { key: "retriever_resource", label: "Citations", hint: "Show the knowledge sources an answer used." },
  { key: "text_to_speech", label: "Text to speech", hint: "Let users hear answers read aloud." },
  { key: "speech_to_text", label: "Speech to text", hint: "Let users dictate their message." },
];

function Switch({ checked, onChange, label, hint, testId, readOnly, children }: { checked: boolean; onChange: (on: boolean) => void; label: string; hint: string; testId: string; readOnly: boolean; children?: ComponentChildren }) {
  return (
    <div class={checked ? "wf-feature on" : "wf-feature"} data-testid={testId} data-enabled={String(checked)}>
      <label class="wf-feature-head">
        <span>
          <strong>{label}</strong>
          <span class="field-hint">{hint}</span>
        </span>
        <input type="checkbox" role="switch" checked={checked} disabled={readOnly} onChange={(e) => onChange(e.currentTarget.checked)} data-testid={`${testId}-toggle`} />
      </label>
      {checked && children}
    </div>
  );
}

/**
 * A chatflow's features (Dify's "Features" panel): the opening statement and suggested questions
 * a conversation starts with, file upload, citations, follow-up suggestions and speech. Edits go
 * into the draft's `features` and save with the graph.
 */
export function FeaturesPanel({ appId, features, readOnly, onChange, onClose }: { appId?: string; features: Features; readOnly: boolean; onChange: (next: Features) => void; onClose: () => void }) {
  return (
    <aside class="wf-panel" data-testid="features-panel" aria-label="Features">
      <div class="wf-panel-head">
        <strong class="grow">Features</strong>
        <button type="button" class="icon-button" aria-label="Close" data-testid="features-close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="wf-panel-body">
        <FeatureFields appId={appId} features={features} readOnly={readOnly} onChange={onChange} />
      </div>
    </aside>
  );
}

/**
 * The features' fields, also used by the easy-mode editor, where they are top-level keys of the
 * `model_config`. A text generator (`conversation: false`) has "More like this" and no opening statement, starter
 * questions or follow-ups.
 */
export function FeatureFields({ appId, features, readOnly, onChange, conversation = true }: { appId?: string; features: Features; readOnly: boolean; onChange: (next: Features) => void; conversation?: boolean }) {
  const upload = readFileUpload(features);
  return (
    <>
      {conversation && (
        <>
          <Labelled label="Opening statement" hint="The assistant's first message, shown before the user writes.">
            <textarea rows={3} value={openingStatement(features)} readOnly={readOnly} placeholder="Hi! I can help you with…" data-testid="features-opening-statement" onInput={(e) => onChange(setOpeningStatement(features, e.currentTarget.value))} />
          </Labelled>
          <Labelled label="Suggested questions" hint="Offered under the opening statement; a click sends one." group>
            <ListEditor
              testId="features-suggested-questions"
              readOnly={readOnly}
              items={suggestedQuestions(features)}
              addLabel="Add question"
              make={() => ""}
              onChange={(questions) => onChange(setSuggestedQuestions(features, questions))}
              render={(question, update) => <TextInput value={question} placeholder="A question users often ask" readOnly={readOnly} testId="features-suggested-question" onInput={update} />}
            />
          </Labelled>
        </>
      )}
      <Switch label="File upload" hint="Let users attach files to their messages." checked={upload.enabled} readOnly={readOnly} testId="feature-file-upload" onChange={(enabled) => onChange(writeFileUpload(features, { enabled }))}>
        <div class="wf-feature-body">
          <span class="field-label">File types</span>
          <div class="wf-checks">
            {FILE_TYPES.map((type) => (
              <label key={type} class="wf-check">
                <input
                  type="checkbox"
                  checked={upload.allowed_file_types.includes(type)}
                  disabled={readOnly}
                  data-testid={`file-type-${type}`}
                  onChange={(e) => onChange(writeFileUpload(features, { allowed_file_types: toggleIn(upload.allowed_file_types, type, e.currentTarget.checked, FILE_TYPES) }))}
                />{" "}
                {TYPE_LABELS[type]}
              </label>
            ))}
          </div>
          {upload.allowed_file_types.includes("custom") && (
            <Labelled label="Extensions">
              <TextInput value={upload.allowed_file_extensions.join(", ")} placeholder=".csv, .md" readOnly={readOnly} testId="file-extensions" onInput={(text) => onChange(writeFileUpload(features, { allowed_file_extensions: parseExtensions(text) }))} />
            </Labelled>
          )}
          <span class="field-label">How files are given</span>
          <div class="wf-checks">
            {TRANSFER_METHODS.map((method) => (
              <label key={method} class="wf-check">
                <input
                  type="checkbox"
                  checked={upload.allowed_file_upload_methods.includes(method)}
                  disabled={readOnly}
                  data-testid={`file-method-${method}`}
                  onChange={(e) => onChange(writeFileUpload(features, { allowed_file_upload_methods: toggleIn(upload.allowed_file_upload_methods, method, e.currentTarget.checked, TRANSFER_METHODS) }))}
                />{" "}
                {METHOD_LABELS[method]}
              </label>
            ))}
          </div>
          <Labelled label={`Files per message (1–${MAX_FILES})`}>
            <input type="number" min={1} max={MAX_FILES} value={upload.number_limits} readOnly={readOnly} data-testid="file-number-limit" onInput={(e) => e.currentTarget.value && onChange(writeFileUpload(features, { number_limits: Number(e.currentTarget.value) }))} />
          </Labelled>
          {(!upload.allowed_file_types.length || !upload.allowed_file_upload_methods.length) && (
            <div class="error-text small" role="alert" data-testid="file-upload-problem">
              Choose at least one file type and one way to give files.
            </div>
          )}
        </div>
      </Switch>
      {SWITCHES.filter(({ key }) => (conversation ? key !== "more_like_this" : key !== "suggested_questions_after_answer")).map(({ key, label, hint }) => (
        <Switch key={key} label={label} hint={hint} checked={isEnabled(features, key)} readOnly={readOnly} testId={`feature-${key}`} onChange={(on) => onChange(setEnabled(features, key, on))}>
          {key === "text_to_speech" && appId && <SpeechSettings appId={appId} features={features} readOnly={readOnly} onChange={onChange} />}
        </Switch>
      ))}
      <ModerationSettings features={features} readOnly={readOnly} onChange={onChange} />
    </>
  );
}

/**
 * Content moderation (Dify's `sensitive_word_avoidance`), by keywords or by OpenAI Moderation: a
 * flagged message gets the preset reply instead of an answer; an answer that comes to be flagged is
 * replaced by its preset reply. An API extension (Dify's third type) is named as not available.
 */
function ModerationSettings({ features, readOnly, onChange }: { features: Features; readOnly: boolean; onChange: (next: Features) => void }) {
  const form = readModerationForm(features);
  const problems = form.enabled ? moderationProblems(features.sensitive_word_avoidance) : [];
  const write = (change: Parameters<typeof writeModeration>[1]) => onChange(writeModeration(features, change));
  const keywordLines = form.keywords.split("\n").length;
  const runnable = form.type === "keywords" || form.type === "openai_moderation";
  return (
    <Switch label="Content moderation" hint="Answer with a preset reply when a message or an answer is flagged." checked={form.enabled} readOnly={readOnly} testId="feature-moderation" onChange={(enabled) => write({ enabled })}>
      <div class="wf-feature-body">
        <Labelled label="Checked by">
          <select value={form.type} disabled={readOnly} data-testid="moderation-type" onChange={(e) => write({ type: e.currentTarget.value })}>
            <option value="keywords">{MODERATION_TYPES.keywords}</option>
            <option value="openai_moderation">{MODERATION_TYPES.openai_moderation} (the workspace's OpenAI provider)</option>
            {!runnable && <option value={form.type}>{MODERATION_TYPES[form.type as keyof typeof MODERATION_TYPES] ?? form.type} (not available in Waggle)</option>}
          </select>
        </Labelled>
        {!runnable ? (
          <p class="small error-text" data-testid="moderation-unsupported">
            Waggle does not run this type; the app answers no messages until you choose keywords or OpenAI Moderation, or turn moderation off.
          </p>
        ) : (
          <>
            {form.type === "keywords" && (
              <Labelled label="Keywords" hint={`One per line, at most ${MODERATION_LIMITS.keywordRows} lines; matched anywhere, ignoring case.`}>
                <textarea rows={4} value={form.keywords} readOnly={readOnly} placeholder={"wasp\nhornet"} data-testid="moderation-keywords" aria-describedby="moderation-keyword-count" onInput={(e) => write({ keywords: e.currentTarget.value })} />
                <span id="moderation-keyword-count" class="field-hint">
                  {form.keywords ? keywordLines : 0} / {MODERATION_LIMITS.keywordRows} lines
                </span>
              </Labelled>
            )}
            {form.type === "openai_moderation" && (
              <p class="field-hint" data-testid="moderation-openai-hint">
                Each message, and each answer as it streams, is sent to OpenAI's moderation model (omni-moderation-latest) with the OpenAI provider's key from Settings → Model providers.
              </p>
            )}
            {(["inputs", "outputs"] as const).map((side) => (
              <div key={side} class="wf-moderation-side">
                <label class="wf-check">
                  <input type="checkbox" checked={form[side].enabled} disabled={readOnly} data-testid={`moderation-${side}`} onChange={(e) => write({ [side]: { ...form[side], enabled: e.currentTarget.checked } })} />{" "}
                  {side === "inputs" ? "Check the user's message and inputs" : "Check the answer"}
                </label>
                {form[side].enabled && (
                  <Labelled label={side === "inputs" ? "Reply to a flagged message" : "Replace a flagged answer with"}>
                    <TextInput
                      value={form[side].presetResponse}
                      placeholder={side === "inputs" ? "Sorry, I can't talk about that." : "This answer was removed."}
                      readOnly={readOnly}
                      testId={`moderation-${side}-reply`}
                      onInput={(text) => write({ [side]: { ...form[side], presetResponse: text.slice(0, MODERATION_LIMITS.presetResponseChars) } })}
                    />
                  </Labelled>
                )}
              </div>
            ))}
          </>
        )}
        {problems.length > 0 && runnable && (
          <div class="error-text small" role="alert" data-testid="moderation-problem">
            {problems.map((problem) => (
              <div key={problem}>{problem.replace(/^Content moderation: /, "")}</div>
            ))}
            <div>Publishing waits until this is fixed.</div>
          </div>
        )}
      </div>
    </Switch>
  );
}
