/**
 * The knowledge-retrieval node's form: the query, the knowledge bases (from the workspace's), and
 * how results are picked — several bases ranked together (top K, a minimum score) or one chosen by
 * a model from the bases' descriptions — in Dify's fields.
 */
import { DatasetPicker } from "../components/dataset-picker";
import { Labelled, Select, VariablePicker } from "./form-controls";
import { ModelPicker } from "./llm-form";
import type { FormProps } from "./node-forms";
import { object } from "./form-values";

type Item = Record<string, unknown>;

export function KnowledgeRetrievalForm({ data, set, options, readOnly }: FormProps) {
  const chosen = Array.isArray(data.dataset_ids) ? (data.dataset_ids as string[]) : [];
  const mode = data.retrieval_mode === "single" ? "single" : "multiple";
  const multiple = object(data.multiple_retrieval_config);
  const setMultiple = (patch: Item) => set({ multiple_retrieval_config: { top_k: 4, ...multiple, ...patch } });
  const threshold = typeof multiple.score_threshold === "number" ? multiple.score_threshold : null;
  const singleModel = object(object(data.single_retrieval_config).model);
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
      ) : (
        <Labelled label="Model" hint="It reads each knowledge base's description and picks the one to search.">
          <ModelPicker model={singleModel} readOnly={readOnly} set={(model) => set({ single_retrieval_config: { ...object(data.single_retrieval_config), model: { completion_params: {}, ...model } } })} />
        </Labelled>
      )}
    </>
  );
}
