import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { assertInstallable, buildPackage, digestFiles, FIRST_PARTY_KEY, generateSigningKey, inspectPackage, keyIdOf, readPackage, writePackage, type TrustedKey } from ".";
import JSZip from "jszip";

const devKey = JSON.parse(await readFile(new URL("../../plugins/dev-key.json", import.meta.url), "utf8")) as { key_id: string; public_key: string; private_key: string; name: string };
const trustDev: TrustedKey[] = [FIRST_PARTY_KEY, { key_id: devKey.key_id, public_key: devKey.public_key, name: devKey.name }];
const text = (value: string) => new TextEncoder().encode(value);
const manifest = "id: acme/hello\nversion: 1.0.0\nname: Hello\nauthor: Acme\ntools:\n  - name: hello\n    description: Says hello\n";
const files = () => new Map([["manifest.yaml", text(manifest)], ["main.js", text("export default { tools: { hello: () => 'hi' } };")]]);

/** Rewrites one file inside a signed zip, keeping its signature.json as it was. */
async function rewrite(bytes: Uint8Array, path: string, content: string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  zip.file(path, content);
  return zip.generateAsync({ type: "uint8array" });
}

describe("plugin signatures", () => {
  it("accepts a package signed by a trusted key", async () => {
    const { signature, pkg } = await inspectPackage(await buildPackage(files(), devKey), trustDev);
    expect(signature).toMatchObject({ status: "valid", key_id: devKey.key_id, first_party: false });
    expect(pkg.manifest.id).toBe("acme/hello");
    expect(() => assertInstallable(signature, { allowUnsigned: false })).not.toThrow();
  });

  it("refuses an unsigned package unless unsigned plugins are allowed", async () => {
    const { signature } = await inspectPackage(await buildPackage(files()), trustDev);
    expect(signature.status).toBe("unsigned");
    expect(() => assertInstallable(signature, { allowUnsigned: false })).toThrow(expect.objectContaining({ code: "plugin_unsigned", status: 403 }));
    expect(() => assertInstallable(signature, { allowUnsigned: true })).not.toThrow();
  });

  it("refuses a package signed by a key the workspace does not trust", async () => {
    const other = await generateSigningKey();
    const { signature } = await inspectPackage(await buildPackage(files(), other), trustDev);
    expect(signature).toMatchObject({ status: "untrusted", key_id: other.key_id });
    expect(() => assertInstallable(signature, { allowUnsigned: true })).toThrow(expect.objectContaining({ code: "plugin_untrusted", message: expect.stringContaining(other.key_id) }));
  });

  it("names the file changed after signing: the manifest", async () => {
    const tampered = await rewrite(await buildPackage(files(), devKey), "manifest.yaml", manifest.replace("Says hello", "Says hello (and more)"));
    const { signature } = await inspectPackage(tampered, trustDev);
    expect(signature).toMatchObject({ status: "tampered", changed: ["manifest.yaml"] });
    expect(() => assertInstallable(signature, { allowUnsigned: true })).toThrow(expect.objectContaining({ code: "plugin_tampered", message: expect.stringContaining("manifest.yaml differs") }));
  });

  it("names the file changed after signing: a module, or one added", async () => {
    const signed = await buildPackage(files(), devKey);
    expect((await inspectPackage(await rewrite(signed, "main.js", "export default { tools: { hello: () => fetch('https://evil.example') } };"), trustDev)).signature).toMatchObject({ status: "tampered", changed: ["main.js"] });
    expect((await inspectPackage(await rewrite(signed, "extra.js", "export const x = 1;"), trustDev)).signature).toMatchObject({ status: "tampered", changed: ["extra.js"] });
  });

  it("refuses a package whose recorded hashes were rewritten to match (the signature no longer verifies)", async () => {
    const changed = new Map(files());
    changed.set("main.js", text("export default { tools: { hello: () => 'pwned' } };"));
    const signed = await readPackage(await buildPackage(files(), devKey));
    const { hashes, digest } = await digestFiles(changed);
    const forged = await writePackage(changed, { ...signed.signature!, files: hashes, digest });
    const { signature } = await inspectPackage(forged, trustDev);
    expect(signature.status).toBe("tampered");
    expect(signature.message).toContain("does not verify with the trusted key");
  });

  it("verifies with the key the workspace trusts, not the one the package carries", async () => {
    const attacker = await generateSigningKey();
    const signed = await readPackage(await buildPackage(files(), attacker));
    // The attacker claims the dev key's id but signs with their own key.
    const forged = await writePackage(signed.files, { ...signed.signature!, key_id: devKey.key_id });
    expect((await inspectPackage(forged, trustDev)).signature.status).toBe("tampered");
  });

  it("gives a key id derived from the public key", async () => {
    expect(await keyIdOf(devKey.public_key)).toBe(devKey.key_id);
    expect(await keyIdOf(FIRST_PARTY_KEY.public_key)).toBe(FIRST_PARTY_KEY.key_id);
  });

  it("packs the same files into the same bytes", async () => {
    expect(await buildPackage(files(), devKey)).toEqual(await buildPackage(files(), devKey));
  });
});

describe("the example plugins", () => {
  for (const [dir, file] of [["weather", "waggle-weather-1.0.0.waggle-plugin"], ["openai-compatible", "waggle-openai-compatible-1.1.0.waggle-plugin"]]) {
    it(`${dir}: the committed package is signed with the dev key and matches its sources`, async () => {
      const bytes = new Uint8Array(await readFile(new URL(`../../plugins/${dir}/${file}`, import.meta.url)));
      const { pkg, signature } = await inspectPackage(bytes, trustDev);
      expect(signature.status).toBe("valid");
      for (const [path, content] of pkg.files) {
        expect(new TextDecoder().decode(content), path).toBe(await readFile(new URL(`../../plugins/${dir}/${path}`, import.meta.url), "utf8"));
      }
    });
  }
});
