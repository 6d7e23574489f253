/** The tool node's form: the tool, picked from the workspace's providers (built-in, API, workflow, MCP and plugins), and its inputs. */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage, request } from "../api";
import { Labelled, TemplateArea, VariablePicker } from "./form-controls";
import { canonicalProviderId } from "./model-options";
import type { FormProps } from "./node-forms";
import { text } from "./form-values";

interface ToolParameter {
  name: string;
  label?: { en_US?: string };
  human_description?: { en_US?: string };
  required?: boolean;
}

interface ToolProviderEntry {
  id: string;
  name: string;
  type: string;
  label?: { en_US?: string };
  plugin_id?: string | null;
  tools: Array<{ name: string; label?: { en_US?: string }; parameters: ToolParameter[] }>;
}

const providers = signal<ToolProviderEntry[] | null>(null);
const providersError = signal("");
let loading: Promise<void> | undefined;

function loadProviders(): Promise<void> {
  loading ??= request<ToolProviderEntry[]>("GET", "/workspaces/current/tool-providers")
    .then((list) => {
      providers.value = list;
      providersError.value = "";
    })
    .catch((caught) => {
      providersError.value = errorMessage(caught);
      loading = undefined;
    });
  return loading;
}

const SEPARATOR = "\u0000";

export function ToolForm({ data, set, options, readOnly }: FormProps) {
  useEffect(() => {
    void loadProviders();
  }, []);
  const list = providers.value;
  if (!list) return <span class="muted small">{providersError.value || "Loading tools…"}</span>;
  const type = text(data.provider_type) || "builtin";
  const current = data.tool_name ? [type, canonicalProviderId(text(data.provider_id)), text(data.tool_name)].join(SEPARATOR) : "";
  const key = (provider: ToolProviderEntry, tool: string) => [provider.type === "plugin" ? "builtin" : provider.type, canonicalProviderId(provider.id), tool].join(SEPARATOR);
  const found = list.flatMap((provider) => provider.tools.map((tool) => ({ provider, tool }))).find(({ provider, tool }) => key(provider, tool.name) === current);
  const inputs = (data.tool_parameters ?? {}) as Record<string, { type?: string; value?: unknown }>;
  return (
    <>
      <Labelled label="Tool">
        <select
          value={current}
          disabled={readOnly}
          data-testid="tool-picker"
          onChange={(event) => {
            const picked = list.flatMap((provider) => provider.tools.map((tool) => ({ provider, tool }))).find(({ provider, tool }) => key(provider, tool.name) === event.currentTarget.value);
            if (!picked) return;
            const kept = Object.fromEntries(Object.entries(inputs).filter(([name]) => picked.tool.parameters.some((parameter) => parameter.name === name)));
            set({
              provider_type: picked.provider.type === "plugin" ? "builtin" : picked.provider.type,
              provider_id: picked.provider.id,
              provider_name: picked.provider.name,
              tool_name: picked.tool.name,
              tool_label: picked.tool.label?.en_US ?? picked.tool.name,
              tool_parameters: kept,
            });
          }}
        >
          {!current && <option value="">Choose a tool</option>}
          {current && !found && <option value={current}>{`${text(data.provider_id)} / ${text(data.tool_name)} (not available in this workspace)`}</option>}
          {list.map((provider) => (
            <optgroup key={`${provider.type}:${provider.id}`} label={`${provider.label?.en_US ?? provider.name}${provider.plugin_id ? " (plugin)" : ""}`}>
              {provider.tools.map((tool) => (
                <option key={tool.name} value={key(provider, tool.name)}>
                  {tool.label?.en_US ?? tool.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </Labelled>
      {found?.tool.parameters.map((parameter) => {
        const input = inputs[parameter.name];
        const label = `${parameter.label?.en_US ?? parameter.name}${parameter.required ? " *" : ""}`;
        return input?.type === "variable" ? (
          <Labelled key={parameter.name} label={label} hint={parameter.human_description?.en_US}>
            <VariablePicker options={options} value={input.value} readOnly={readOnly} onChange={(selector) => set({ tool_parameters: { ...inputs, [parameter.name]: { type: "variable", value: selector } } })} />
          </Labelled>
        ) : (
          <Labelled key={parameter.name} label={label} hint={parameter.human_description?.en_US}>
            <TemplateArea
              value={text(input?.value)}
              options={options}
              rows={2}
              readOnly={readOnly}
              testId={`tool-input-${parameter.name}`}
              onInput={(value) => set({ tool_parameters: { ...inputs, [parameter.name]: { type: "mixed", value } } })}
            />
          </Labelled>
        );
      })}
    </>
  );
}
