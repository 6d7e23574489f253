import { describe, expect, it } from "vitest";
import { cleanText } from "./clean-text";

const on = (...ids: string[]) => ids.map((id) => ({ id, enabled: true }));

describe("cleanText", () => {
  it("always removes control characters and Dify's special-token brackets", () => {
    expect(cleanText("a\u0000b\u0007c <|endoftext|>\tok\n")).toBe("abc <endoftext>\tok\n");
  });

  it("remove_extra_spaces collapses runs of spaces and of blank lines", () => {
    expect(cleanText("a   b\t\tc\n\n\n\nd", on("remove_extra_spaces"))).toBe("a b c\n\nd");
    expect(cleanText("a   b", [{ id: "remove_extra_spaces", enabled: false }])).toBe("a   b");
  });

  it("remove_urls_emails drops bare URLs and emails but keeps Markdown link and image URLs", () => {
    const text = "Mail ada@example.com or see https://example.com/x?y=1 and [docs](https://docs.example.com/a) ![img](http://img.example.com/p.png)";
    expect(cleanText(text, on("remove_urls_emails"))).toBe("Mail  or see  and [docs](https://docs.example.com/a) ![img](http://img.example.com/p.png)");
  });
});
