import { describe, expect, it } from "vitest";
import { TokenSigner } from "./signed-token";

describe("TokenSigner", () => {
  it("reads back what it signed", async () => {
    const signer = await TokenSigner.create("secret", "web-passport");
    const token = await signer.sign({ c: "abc", u: "ü-user" });
    expect(await signer.verify(token)).toEqual({ c: "abc", u: "ü-user" });
  });

  it("refuses a token with any character changed, and tokens of another secret or purpose", async () => {
    const signer = await TokenSigner.create("secret", "web-passport");
    const token = await signer.sign({ c: "abc", u: "user" });
    for (let i = 0; i < token.length; i++) {
      if (token[i] === ".") continue;
      const changed = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
      expect(await signer.verify(changed)).toBeUndefined();
    }
    expect(await (await TokenSigner.create("other", "web-passport")).verify(token)).toBeUndefined();
    expect(await (await TokenSigner.create("secret", "other-purpose")).verify(token)).toBeUndefined();
  });

  it("refuses garbage without throwing", async () => {
    const signer = await TokenSigner.create("secret", "p");
    for (const junk of ["", ".", "a.b", "a.b.c", "%%%.%%%", "x".repeat(5000)]) expect(await signer.verify(junk)).toBeUndefined();
    // A well-signed payload that is not an object is refused too.
    const mac = (await signer.sign({})).split(".")[1];
    expect(await signer.verify(`WzFd.${mac}`)).toBeUndefined();
  });
});
