// The Weather example plugin. The default export lists what the manifest declares; each function
// gets the call's context: `credentials` (this workspace's settings), `storage` (granted by
// `permissions.storage`) and `log`.

async function currentWeather({ city, units = "metric" }, { credentials, storage, log }) {
  const base = (credentials.api_base || "https://api.weather.example/api").replace(/\/+$/, "");
  const url = `${base}/weather/${encodeURIComponent(city)}?units=${encodeURIComponent(units)}`;
  log(`GET ${url}`);
  const response = await fetch(url, { headers: { "x-api-key": credentials.api_key ?? "" } });
  if (!response.ok) throw new Error(`The weather API answered HTTP ${response.status}`);
  const weather = await response.json();
  await storage.put("last_city", city);
  return { city: weather.city, temperature: weather.temperature, units: weather.units };
}

async function lastCity(_args, { storage }) {
  return (await storage.get("last_city")) ?? "nobody has asked yet";
}

async function status(_request, { storage }) {
  return Response.json({ plugin: "waggle/weather", last_city: (await storage.get("last_city")) ?? null });
}

export default {
  tools: { current_weather: currentWeather, last_city: lastCity },
  endpoints: { "/status": status },
};
