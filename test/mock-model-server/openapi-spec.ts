/**
 * The OpenAPI spec of the mock server's small JSON API under `/api` (served at `/openapi.json`
 * with the server's origin). Kept apart from the server so workerd tests can import it.
 */
export const openApiSpec = {
  openapi: "3.0.3",
  info: { title: "Weather API", version: "1.0.0", description: "Weather for tests" },
  servers: [{ url: "{origin}/api" }],
  paths: {
    "/weather/{city}": {
      get: {
        operationId: "getWeather",
        summary: "Current weather in a city",
        parameters: [
          { name: "city", in: "path", required: true, schema: { type: "string" }, description: "City name" },
          { name: "units", in: "query", required: false, schema: { type: "string", enum: ["metric", "imperial"], default: "metric" } },
        ],
        responses: { "200": { description: "ok" } },
      },
    },
    "/notes": {
      post: {
        operationId: "createNote",
        description: "Store a note",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } },
        },
        responses: { "201": { description: "created" } },
      },
    },
  },
  components: {
    schemas: { Note: { type: "object", required: ["title"], properties: { title: { type: "string" }, body: { type: "string" } } } },
    securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" } },
  },
};
