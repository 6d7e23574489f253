import { describe, expect, it } from "vitest";
import JSZip from "jszip";
import { isDeclaredHost, parseManifest, readPackage } from ".";

describe("manifest", () => {
  it("reads the declared tools and permissions with defaults", () => {
    const manifest = parseManifest("id: acme/hello\nversion: 1.2.3\nname: Hello\nauthor: Acme\npermissions:\n  hosts: [API.Example.com]\n");
    expect(manifest).toMatchObject({ entry: "main.js", permissions: { hosts: ["api.example.com"], storage: false }, tools: [] });
  });

  it("names what is wrong", () => {
    expect(() => parseManifest("id: Not An Id\nversion: 1\nname: x\nauthor: y\n")).toThrow(/id: the id is author\/name.*version: the version is semantic/);
    expect(() => parseManifest("id: a/b\nversion: 1.0.0\nname: x\nauthor: y\npermissions: {hosts: ['http://x.com/path']}\n")).toThrow(/permissions.hosts.0/);
    expect(() => parseManifest("id: a/b\nversion: 1.0.0\nname: x\nauthor: y\ntools: [{name: t, description: d}, {name: t, description: d}]\n")).toThrow(/twice/);
    expect(() => parseManifest("[unclosed")).toThrow(/not valid YAML/);
  });

  it("matches declared hosts exactly, by port, and by wildcard", () => {
    const hosts = ["api.example.com", "*.cdn.example.com", "127.0.0.1:8080"];
    expect(isDeclaredHost(new URL("https://api.example.com/v1"), hosts)).toBe(true);
    expect(isDeclaredHost(new URL("https://API.EXAMPLE.COM./v1"), hosts)).toBe(true);
    expect(isDeclaredHost(new URL("https://evil.com/?api.example.com"), hosts)).toBe(false);
    expect(isDeclaredHost(new URL("https://api.example.com.evil.com/"), hosts)).toBe(false);
    expect(isDeclaredHost(new URL("https://a.cdn.example.com/"), hosts)).toBe(true);
    expect(isDeclaredHost(new URL("https://cdn.example.com/"), hosts)).toBe(false);
    expect(isDeclaredHost(new URL("http://127.0.0.1:8080/"), hosts)).toBe(true);
    expect(isDeclaredHost(new URL("http://127.0.0.1:8081/"), hosts)).toBe(false);
  });
});

describe("package shape", () => {
  const zipOf = async (entries: Record<string, string>) => {
    const zip = new JSZip();
    for (const [path, content] of Object.entries(entries)) zip.file(path, content);
    return zip.generateAsync({ type: "uint8array" });
  };
  const manifest = "id: a/b\nversion: 1.0.0\nname: x\nauthor: y\n";

  it("refuses what is not a zip, a package without manifest or entry, and unsafe paths", async () => {
    await expect(readPackage(new TextEncoder().encode("not a zip"))).rejects.toMatchObject({ code: "plugin_package_invalid" });
    await expect(readPackage(await zipOf({ "main.js": "" }))).rejects.toThrow("no manifest.yaml");
    await expect(readPackage(await zipOf({ "manifest.yaml": manifest }))).rejects.toThrow("entry module main.js is not in the package");
    await expect(readPackage(await zipOf({ "manifest.yaml": manifest, "main.js": "", "../escape.js": "" }))).rejects.toThrow("path Waggle does not accept");
  });

  it("refuses a package that unpacks to more than 10 MB", async () => {
    const zip = new JSZip();
    zip.file("manifest.yaml", manifest);
    zip.file("main.js", "");
    zip.file("big.js", "x".repeat(11 * 1024 * 1024));
    const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    expect(bytes.byteLength).toBeLessThan(100_000);
    await expect(readPackage(bytes)).rejects.toThrow("unpacks to more than");
  });
});
