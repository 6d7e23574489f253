/**
 * The knowledge-retrieval node's form: the query, the knowledge bases (from the workspace's), how
 * results are picked — several bases ranked together (top K, a minimum score, by weights or a
 * rerank model) or one chosen by a model from the bases' descriptions — and a metadata filter, in
 * Dify's fields.
 */
import { BUILT_IN_METADATA_FIELDS, comparisonOperators, valuelessOperators } from "../../../core/dsl/metadata-conditions";
import { DatasetPicker } from "../components/dataset-picker";
import { Labelled, ListEditor, Select, TextInput, VariablePicker } from "./form-controls";
import { ModelPicker } from "./llm-form";
import type { FormProps } from "./node-forms";
import { list, object, text } from "./form-values";

type Item = Record<string, unknown>;

/** Weights as Dify keeps them: the semantic weight, and the keyword weight the rest of 1. */
export function rankingWeights(vectorWeight: number): Item {
  const vector = Math.round(Math.min(1, Math.max(0, vectorWeight)) * 100) / 100;
  return { vector_setting: { vector_weight: vector, embedding_provider_name: "", embedding_model_name: "" }, keyword_setting: { keyword_weight: Math.round((1 - vector) * 100) / 100 } };
}

function MetadataFilter({ data, set, readOnly }: Pick<FormProps, "data" | "set" | "readOnly">) {
  const mode = text(data.metadata_filtering_mode) || "disabled";
  const conditions = object(data.metadata_filtering_conditions);
  const setConditions = (patch: Item) => set({ metadata_filtering_conditions: { logical_operator: "and", conditions: [], ...conditions, ...patch } });
  return (
    <Labelled label="Metadata filter" group hint="Only documents whose metadata pass are searched; a value may be a {{#node.var#}} reference.">
      <Select
        value={mode}
        options={[["disabled", "Off"], ["manual", "Conditions"], ...(mode === "automatic" ? [["automatic", "Automatic (not supported here: choose conditions)"] as [string, string]] : [])]}
        readOnly={readOnly}
        testId="knowledge-filter-mode"
        onChange={(metadata_filtering_mode) => set(metadata_filtering_mode === "manual" ? { metadata_filtering_mode, metadata_filtering_conditions: { logical_operator: "and", conditions: [], ...conditions } } : { metadata_filtering_mode })}
      />
      {mode === "manual" && (
        <>
          <Select
            value={conditions.logical_operator === "or" ? "or" : "and"}
            options={[
              ["and", "All conditions hold"],
              ["or", "Any condition holds"],
            ]}
            readOnly={readOnly}
            testId="knowledge-filter-logic"
            onChange={(logical_operator) => setConditions({ logical_operator })}
          />
          <datalist id="knowledge-metadata-fields">
            {BUILT_IN_METADATA_FIELDS.map(({ name }) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <ListEditor
            testId="knowledge-filter-conditions"
            readOnly={readOnly}
            items={list(conditions.conditions)}
            addLabel="Add condition"
            make={() => ({ name: "", comparison_operator: "is", value: "" })}
            onChange={(next) => setConditions({ conditions: next })}
            render={(item, update) => (
              <div class="wf-inline">
                <input type="text" list="knowledge-metadata-fields" value={text(item.name)} placeholder="field" readOnly={readOnly} aria-label="Metadata field" data-testid="knowledge-filter-field" onInput={(e) => update({ ...item, name: e.currentTarget.value })} />
                <Select value={text(item.comparison_operator) || "is"} options={[...comparisonOperators]} readOnly={readOnly} testId="knowledge-filter-operator" onChange={(comparison_operator) => update(valuelessOperators.has(comparison_operator) ? { ...item, comparison_operator, value: null } : { ...item, comparison_operator })} />
                {!valuelessOperators.has(text(item.comparison_operator)) && <TextInput value={text(item.value)} placeholder="value" readOnly={readOnly} testId="knowledge-filter-value" onInput={(value) => update({ ...item, value })} />}
              </div>
            )}
          />
        </>
      )}
    </Labelled>
  );
}

export function KnowledgeRetrievalForm({ data, set, options, readOnly }: FormProps) {
  const chosen = Array.isArray(data.dataset_ids) ? (data.dataset_ids as string[]) : [];
  const mode = data.retrieval_mode === "single" ? "single" : "multiple";
  const multiple = object(data.multiple_retrieval_config);
  const setMultiple = (patch: Item) => set({ multiple_retrieval_config: { top_k: 4, ...multiple, ...patch } });
  const threshold = typeof multiple.score_threshold === "number" ? multiple.score_threshold : null;
  const singleModel = object(object(data.single_retrieval_config).model);
  const ranking = multiple.reranking_mode === "weighted_score" || multiple.reranking_mode === "reranking_model" ? multiple.reranking_mode : "";
  const vectorWeight = Number(object(object(multiple.weights).vector_setting).vector_weight ?? 0.7);
  return (
    <>
      <Labelled label="Query">
        <VariablePicker options={options} value={data.query_variable_selector} readOnly={readOnly} testId="knowledge-query" onChange={(query_variable_selector) => set({ query_variable_selector })} />
      </Labelled>
      <Labelled label="Knowledge" group>
        <DatasetPicker chosen={chosen} readOnly={readOnly} testId="knowledge-dataset" empty="No knowledge base yet: the node finds nothing." onChange={(dataset_ids) => set({ dataset_ids })} />
      </Labelled>
      <Labelled label="Retrieval">
        <Select
          value={mode}
          options={[
            ["multiple", "Search all, rank together"],
            ["single", "A model picks one knowledge base"],
          ]}
          readOnly={readOnly}
          testId="knowledge-mode"
          onChange={(retrieval_mode) => set(retrieval_mode === "single" ? { retrieval_mode } : { retrieval_mode, multiple_retrieval_config: { top_k: 4, ...multiple } })}
        />
      </Labelled>
      {mode === "multiple" ? (
        <>
          <div class="wf-inline">
            <Labelled label="Top K">
              <input
                type="number"
                min={1}
                max={100}
                value={typeof multiple.top_k === "number" ? multiple.top_k : 4}
                readOnly={readOnly}
                data-testid="knowledge-top-k"
                onInput={(e) => e.currentTarget.value && setMultiple({ top_k: Math.min(100, Math.max(1, Math.round(Number(e.currentTarget.value)))) })}
              />
            </Labelled>
            <Labelled label="Minimum score">
              <div class="row gap">
                <input type="checkbox" aria-label="Use a minimum score" checked={threshold !== null} disabled={readOnly} data-testid="knowledge-threshold-on" onChange={(e) => setMultiple({ score_threshold: e.currentTarget.checked ? 0.5 : null })} />
                <input
                  type="number"
                  min={0}
                  max={1}
                  step={0.05}
                  value={threshold ?? 0.5}
                  readOnly={readOnly || threshold === null}
                  aria-label="Minimum score"
                  data-testid="knowledge-threshold"
                  onInput={(e) => e.currentTarget.value && setMultiple({ score_threshold: Math.min(1, Math.max(0, Number(e.currentTarget.value))) })}
                />
              </div>
            </Labelled>
          </div>
          <Labelled label="Ranking" group hint="How hits from several knowledge bases are ordered together.">
            <Select
              value={ranking}
              options={[
                ["", "Each base's own scores"],
                ["weighted_score", "Weights: semantic and keyword"],
                ["reranking_model", "A rerank model"],
              ]}
              readOnly={readOnly}
              testId="knowledge-ranking"
              onChange={(value) =>
                setMultiple(
                  value === "weighted_score"
                    ? { reranking_mode: value, reranking_enable: false, weights: multiple.weights ?? rankingWeights(0.7) }
                    : value === "reranking_model"
                      ? { reranking_mode: value, reranking_enable: true }
                      : { reranking_mode: null, reranking_enable: false },
                )
              }
            />
            {ranking === "weighted_score" && (
              <div class="wf-inline wf-compact-row">
                <span class="small">Semantic</span>
                <input type="number" min={0} max={1} step={0.1} value={vectorWeight} readOnly={readOnly} aria-label="Semantic weight" data-testid="knowledge-vector-weight" onInput={(e) => e.currentTarget.value && setMultiple({ weights: rankingWeights(Number(e.currentTarget.value)) })} />
                <span class="small muted" data-testid="knowledge-keyword-weight">{`keyword ${Math.round((1 - vectorWeight) * 100) / 100}`}</span>
              </div>
            )}
            {ranking === "reranking_model" && <ModelPicker kind="rerank" testId="knowledge-rerank-model" model={object(multiple.reranking_model)} readOnly={readOnly} set={(reranking_model) => setMultiple({ reranking_model, reranking_enable: true })} />}
          </Labelled>
        </>
      ) : (
        <Labelled label="Model" hint="It reads each knowledge base's description and picks the one to search.">
          <ModelPicker model={singleModel} readOnly={readOnly} set={(model) => set({ single_retrieval_config: { ...object(data.single_retrieval_config), model: { completion_params: {}, ...model } } })} />
        </Labelled>
      )}
      <MetadataFilter data={data} set={set} readOnly={readOnly} />
    </>
  );
}
