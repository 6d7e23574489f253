import { useEffect, useState } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { Field } from "../../components/field";
import { Modal } from "../../components/modal";
import { knowledgeApi, type Dataset, type IndexingTechnique } from "../../knowledge-api";
import type { ModelOption } from "../model-providers/model-options";
import { loadEmbeddingOptions } from "./embedding-options";

const TECHNIQUES: { value: IndexingTechnique; label: string; hint: string }[] = [
  { value: "high_quality", label: "High quality", hint: "Chunks are embedded for semantic search, and indexed for keyword search too." },
  { value: "economy", label: "Economy", hint: "Keyword search only: no embedding calls, no vector index." },
];

/** Creates a dataset: name, description, indexing technique and (for high quality) its embedding model. */
export function DatasetFormModal({ onClose, onCreated }: { onClose: () => void; onCreated: (dataset: Dataset) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [technique, setTechnique] = useState<IndexingTechnique>("high_quality");
  const [embedding, setEmbedding] = useState("");
  const [options, setOptions] = useState<ModelOption[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    loadEmbeddingOptions()
      .then((loaded) => {
        setOptions(loaded.options);
        setEmbedding(loaded.defaultValue);
      })
      .catch((caught) => setError(errorMessage(caught)));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return setError("Give the dataset a name.");
    const chosen = technique === "high_quality" ? options.find((o) => o.value === embedding) : undefined;
    setBusy(true);
    setError("");
    try {
      const dataset = await knowledgeApi.createDataset({
        name: name.trim(),
        description: description.trim(),
        indexing_technique: technique,
        embedding_model: chosen?.model ?? null,
        embedding_model_provider: chosen?.provider ?? null,
      });
      onCreated(dataset);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Create dataset"
      onClose={onClose}
      testId="create-dataset-modal"
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="dataset-form" class="btn btn-primary" data-testid="create-dataset-submit" disabled={busy}>
            {busy ? "Creating…" : "Create"}
          </button>
        </>
      }
    >
      <form id="dataset-form" class="form" onSubmit={submit}>
        <Field label="Name">
          <input type="text" required maxLength={40} placeholder="e.g. Product handbook" data-testid="dataset-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Description" hint="Optional. Helps people (and agents) pick the right dataset.">
          <textarea rows={2} maxLength={400} data-testid="dataset-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <Field label="Indexing" hint={TECHNIQUES.find((t) => t.value === technique)?.hint}>
          <select data-testid="dataset-technique" value={technique} onChange={(e) => setTechnique(e.currentTarget.value as IndexingTechnique)}>
            {TECHNIQUES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        {technique === "high_quality" && (
          <Field
            label="Embedding model"
            hint={
              embedding
                ? "Queries and chunks are embedded by this model; changing it later re-indexes every document."
                : "The built-in embedder needs no provider but matches shared words, not meaning. Add a text-embedding model under Settings → Model providers for semantic search."
            }
          >
            <select data-testid="dataset-embedding" value={embedding} onChange={(e) => setEmbedding(e.currentTarget.value)}>
              <option value="">Built-in hashing embedder (lexical)</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.model} — {o.providerLabel}
                </option>
              ))}
            </select>
          </Field>
        )}
        <ErrorText message={error} testId="dataset-error" />
      </form>
    </Modal>
  );
}
