import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { openApiSpec } from "../../../test/mock-model-server/openapi-spec";
import { createEgress } from "../../egress";
import { invokeTool } from "../invoke-tool";
import { applyApiAuth, buildOperationRequest, openApiTools, type ApiToolCredentials } from "./openapi-tools";
import { parseOpenApiSpec } from "./parse-openapi";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const signal = new AbortController().signal;
const specText = (format: "json" | "yaml") => {
  const spec = { ...openApiSpec, servers: [{ url: `${server.url}/api` }] };
  return format === "json" ? JSON.stringify(spec) : stringify(spec);
};
const apiKey: ApiToolCredentials = { auth_type: "api_key_header", api_key_header: "X-Api-Key", api_key_header_prefix: "custom", api_key_value: "weather-key" };
const tools = (credentials: ApiToolCredentials = apiKey, allowLoopback = true) =>
  openApiTools(parseOpenApiSpec(specText("yaml")), { fetch: createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback }).fetch, credentials });

describe("OpenAPI specs", () => {
  it("reads JSON and YAML alike into one tool per operation, with path/query parameters and $ref'd body properties", () => {
    const fromJson = parseOpenApiSpec(specText("json"));
    expect(parseOpenApiSpec(specText("yaml"))).toEqual(fromJson);
    expect(fromJson).toMatchObject({ title: "Weather API", serverUrl: `${server.url}/api` });
    const [weather, note] = fromJson.operations;
    expect(weather).toMatchObject({
      name: "getWeather",
      method: "get",
      summary: "Current weather in a city",
      locations: { city: "path", units: "query" },
      parameters: { type: "object", required: ["city"], properties: { city: { type: "string", description: "City name" }, units: { enum: ["metric", "imperial"], default: "metric" } } },
    });
    expect(note).toMatchObject({ name: "createNote", method: "post", bodyContentType: "application/json", locations: { title: "body", body: "body" }, parameters: { required: ["title"] } });
  });

  it("names operations without an operationId from method and path", () => {
    const spec = parseOpenApiSpec(JSON.stringify({ openapi: "3.1.0", servers: [{ url: "https://api.example.com/v1" }], paths: { "/items/{id}": { delete: {}, parameters: [{ name: "id", in: "path", schema: { type: "integer" } }] } } }));
    expect(spec.operations[0]).toMatchObject({ name: "delete_items_id", parameters: { required: ["id"], properties: { id: { type: "integer" } } } });
  });

  it.each([
    ["swagger: '2.0'\ninfo: {title: x}\npaths: {}", /Swagger 2.0/],
    ["openapi: 3.0.0\npaths: {/a: {get: {}}}", /servers\[0\]\.url/],
    ["openapi: 3.0.0\nservers: [{url: 'file:///etc'}]\npaths: {/a: {get: {}}}", /http\(s\) URL/],
    ["openapi: 3.0.0\nservers: [{url: 'https://x.test'}]\npaths: {}", /no operations/],
    ["openapi: [unclosed", /neither JSON nor YAML/],
    ["openapi: 3.0.0\nservers: [{url: 'https://x.test'}]\npaths: {/a: {get: {parameters: [{$ref: 'https://evil.test/p.json'}]}}}", /Only local \$ref/],
  ])("refuses %j", (text, message) => {
    expect(() => parseOpenApiSpec(text)).toThrow(message);
  });
});

describe("OpenAPI tools", () => {
  it("call the API through the egress with the API key header: path and query arguments", async () => {
    const weather = tools().find((tool) => tool.name === "getWeather")!;
    const messages = await invokeTool(weather, { city: "Paris", units: "imperial" }, { signal });
    expect(messages).toEqual([
      { type: "text", text: '{"city":"Paris","temperature":68,"units":"imperial"}' },
      { type: "json", json: { city: "Paris", temperature: 68, units: "imperial" } },
    ]);
    expect(server.requests.at(-1)).toMatchObject({ path: "/api/weather/Paris", headers: { "x-api-key": "weather-key" } });
  });

  it("send body properties as JSON", async () => {
    const note = tools().find((tool) => tool.name === "createNote")!;
    const [message] = await invokeTool(note, { title: "Hive", body: "Check the queen" }, { signal });
    expect(JSON.parse((message as { text: string }).text)).toEqual({ id: "note-1", title: "Hive", body: "Check the queen" });
    expect(server.requests.at(-1)?.body).toEqual({ title: "Hive", body: "Check the queen" });
  });

  it("report the API's error status and refuse a loopback server unless the egress allows it", async () => {
    const weather = (credentials: ApiToolCredentials, loopback = true) => tools(credentials, loopback).find((tool) => tool.name === "getWeather")!;
    await expect(invokeTool(weather({ auth_type: "none" }), { city: "Oslo" }, { signal })).rejects.toThrow(/HTTP 401: \{"error":"bad api key"\}/);
    server.reset();
    await expect(invokeTool(weather(apiKey, false), { city: "Oslo" }, { signal })).rejects.toThrow(/private|loopback/i);
    expect(server.requests).toHaveLength(0);
    await expect(invokeTool(weather(apiKey), {}, { signal })).rejects.toMatchObject({ kind: "tool_parameter_invalid" });
  });

  it("apply each auth type: bearer, basic (user:password encoded), custom header, query parameter", () => {
    const apply = (credentials: ApiToolCredentials) => {
      const headers = new Headers();
      const url = new URL("https://api.example.com/x");
      applyApiAuth(credentials, headers, url);
      return { authorization: headers.get("authorization"), custom: headers.get("x-key"), url: url.href };
    };
    expect(apply({ auth_type: "api_key_header", api_key_header_prefix: "bearer", api_key_value: "t0k" }).authorization).toBe("Bearer t0k");
    expect(apply({ auth_type: "api_key", api_key_header_prefix: "basic", api_key_value: "ann:secret" }).authorization).toBe(`Basic ${btoa("ann:secret")}`);
    expect(apply({ auth_type: "api_key_header", api_key_header: "X-Key", api_key_value: "k" }).custom).toBe("k");
    expect(apply({ auth_type: "api_key_query", api_key_query_param: "apikey", api_key_value: "q" }).url).toBe("https://api.example.com/x?apikey=q");
    expect(apply({ auth_type: "none", api_key_value: "ignored" })).toEqual({ authorization: null, custom: null, url: "https://api.example.com/x" });
  });

  it("encode path arguments so they cannot change the path", () => {
    const [weather] = parseOpenApiSpec(specText("json")).operations;
    const { url } = buildOperationRequest({ serverUrl: "https://api.example.com" }, weather!, { city: "../admin?x=1" }, { auth_type: "none" });
    expect(url.pathname).toBe("/weather/..%2Fadmin%3Fx%3D1");
  });
});
