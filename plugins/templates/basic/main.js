// Each tool gets its arguments (checked against the manifest's schema) and the call's context:
// `credentials`, `storage` (with `permissions.storage`), `models.chat({ provider, model, messages })`
// (with `permissions.models`), `tools.invoke({ provider_type, provider_id, tool_name, arguments })`
// (with `permissions.tools`) and `log`. Return a string or JSON.
export default {
  tools: {
    async hello({ name }, { log }) {
      log(`greeting ${name}`);
      return `Hello, ${name}!`;
    },
  },
};
