import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("renders the markdown people expect in an answer", () => {
    const html = renderMarkdown("# Title\n\n**bold** and `code`\n\n- one\n- two\n\n```js\nlet x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<code class="language-js">let x = 1;');
    expect(html).toContain("<table>");
  });

  it("shows raw HTML as text", () => {
    for (const hostile of ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "hi <b onclick=x>there</b>", "<iframe src=//evil>"]) {
      const html = renderMarkdown(hostile);
      expect(html).not.toMatch(/<(script|img|b|iframe)[\s>]/);
      expect(html).toContain("&lt;");
    }
  });

  it("keeps web links and drops script links", () => {
    expect(renderMarkdown("[ok](https://example.com)")).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">ok</a>');
    for (const bad of ["[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,hi)", "[x]( vbscript:y)", "![x](javascript:alert(1))", "![x](data:image/png;base64,AA)"]) {
      const html = renderMarkdown(bad);
      expect(html, bad).not.toMatch(/href=|src=/);
    }
    expect(renderMarkdown('[x](https://a.example/"onmouseover="alert(1))')).not.toContain('"onmouseover="');
    expect(renderMarkdown("![cat](https://example.com/cat.png)")).toContain('<img src="https://example.com/cat.png" alt="cat" loading="lazy">');
  });
});
