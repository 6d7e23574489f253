/**
 * Iteration and loop nodes as containers on the canvas, in Chromium: an iteration added from the
 * palette comes with its start node inside; a Template node added with its "+" goes inside; wired
 * start → split → iteration → end and iteration-start → template, with the iterator and output
 * chosen in the panel, the draft runs and the iteration returns one result per list item. The
 * container carries its children when dragged, takes a node dropped onto it, is deleted, undone,
 * copied and pasted with them; a loop offers "Exit loop"; an imported Dify chatflow shows its
 * iteration's children inside it.
 * Defined as a function and run from console.test.ts (suites in one file run in order); it signs
 * in on its own page.
 */
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ARTIFACTS, consoleCaller, launchBrowser, signInOwner } from "./browser";


const SPLIT = "function main({ text }) {\n  return { words: text.split(' ').filter(Boolean) };\n}\n";

interface SavedNode {
  id: string;
  type: string;
  parentId?: string;
  extent?: unknown;
  position: { x: number; y: number };
  data: Record<string, unknown>;
}

export function containersSuite() {
  describe("editor containers: iteration and loop", () => {
    const base = () => inject("baseUrl");
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let appId = "";
    let iterationId = "";
    let childId = "";

    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    const box = async (id: string) => (await node(id).boundingBox())!;
    const savedGraph = async () => (await consoleCaller(page)("GET", `/apps/${appId}/workflows/draft`)).graph as { nodes: SavedNode[]; edges: { source: string; target: string; data?: Record<string, unknown> }[] };
    const waitSaved = () => expect.poll(() => page.getByTestId("save-state").textContent(), { timeout: 10_000 }).toBe("All changes saved");

    /** Drags a connection from a node's (first) source handle to another node's target handle. */
    async function connect(from: string, to: string) {
      const handle = (id: string, kind: string) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${kind}`).first().boundingBox();
      const a = (await handle(from, "source"))!;
      const b = (await handle(to, "target"))!;
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
      await page.mouse.up();
    }

    /** Whether `inner`'s box lies within `outer`'s on the page. */
    const inside = (inner: { x: number; y: number; width: number; height: number }, outer: { x: number; y: number; width: number; height: number }) =>
      inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;

    beforeAll(async () => {
      browser = await launchBrowser();
      ({ page, errors } = await signInOwner(browser, base(), { width: 1400, height: 950 }));
      page.setDefaultTimeout(15_000);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("builds an iteration with a node inside it on the canvas and runs it", async () => {
      const call = consoleCaller(page);
      const app = await call("POST", "/apps", { name: "Iterate words", mode: "workflow" });
      appId = app.id;
      const draft = await call("GET", `/apps/${appId}/workflows/draft`);
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [{ variable: "text", label: "text", type: "text-input", required: true, max_length: 256 }] } },
          { id: "split", type: "custom", position: { x: 340, y: 200 }, data: { type: "code", title: "Split", code_language: "javascript", code: SPLIT, variables: [{ variable: "text", value_selector: ["start", "text"] }], outputs: { words: { type: "array[string]", children: null } } } },
          { id: "end", type: "custom", position: { x: 1100, y: 200 }, data: { type: "end", title: "End", outputs: [] } },
        ],
        edges: [{ id: "start-source-split-target", source: "start", sourceHandle: "source", target: "split", targetHandle: "target", type: "custom", data: { sourceType: "start", targetType: "code" } }],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await call("POST", `/apps/${appId}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${appId}/draft`);
      await node("end").waitFor();

      // The palette adds an iteration: a container with its start node inside.
      await page.getByTestId("palette-iteration").click();
      iterationId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      await page.getByTestId("node-panel-close").click();
      await node(`${iterationId}start`).waitFor();
      expect(inside(await box(`${iterationId}start`), await box(iterationId))).toBe(true);

      // Its "+" adds a Template node inside it.
      await node(iterationId).getByTestId("container-add").click();
      await page.getByTestId("container-add-template-transform").click();
      childId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      expect(childId).not.toBe(iterationId);
      await page.getByTestId("node-panel-close").click();
      await expect.poll(async () => inside(await box(childId), await box(iterationId))).toBe(true);

      await connect("split", iterationId);
      await connect(`${iterationId}start`, childId);
      await connect(iterationId, "end");
      await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(4);
      await page.getByTestId("auto-layout").click();
      await expect.poll(async () => inside(await box(childId), await box(iterationId))).toBe(true);

      // The iteration goes through the split words and collects the template's output.
      await node(iterationId).locator(".wf-node-title").click();
      await page.getByTestId("iteration-iterator").selectOption("split.words");
      const collectable = await page.getByTestId("iteration-output").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(collectable).toEqual(["", `${childId}.output`]);
      await page.getByTestId("iteration-output").selectOption(`${childId}.output`);
      await page.getByTestId("node-panel-close").click();

      // Inside, the picker offers the iteration's item and index, and what comes before the iteration.
      await node(childId).click();
      const offered = await page.getByTestId("input-variable-value").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toEqual(expect.arrayContaining([`${iterationId}.item`, `${iterationId}.index`, "split.words", "start.text"]));
      await page.getByTestId("input-variable-value").selectOption(`${iterationId}.item`);
      await page.locator('[data-testid="template-text"][data-ready="true"] .cm-content').fill("[{{ arg1 }}]");
      await page.getByTestId("node-panel-close").click();

      await node("end").click();
      await page.getByTestId("end-outputs-add").click();
      await page.getByTestId("end-output-name").fill("echoes");
      await page.getByTestId("end-output-value").selectOption(`${iterationId}.output`);
      await page.getByTestId("node-panel-close").click();
      await expect.poll(() => page.getByTestId("problem-count").textContent()).toContain("No problems");

      await page.getByTestId("run-open").click();
      await page.getByTestId("run-input-text").fill("red green blue");
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor();
      expect(JSON.parse((await page.getByTestId("run-outputs").textContent())!)).toEqual({ echoes: ["[red]", "[green]", "[blue]"] });
      for (const id of ["start", "split", iterationId, "end"]) expect(await page.locator(`[data-testid="canvas-node"][data-node-id="${id}"]`).getAttribute("data-run-status")).toBe("succeeded");
      await page.screenshot({ path: `${ARTIFACTS}57-editor-iteration-run.png` });
      await page.getByTestId("run-close").click();

      // Saved as Dify writes it.
      await waitSaved();
      const saved = await savedGraph();
      const byId = (id: string) => saved.nodes.find((n) => n.id === id)!;
      expect(byId(iterationId)).toMatchObject({ type: "custom", data: { type: "iteration", start_node_id: `${iterationId}start`, iterator_selector: ["split", "words"], output_selector: [childId, "output"] } });
      expect(byId(`${iterationId}start`)).toMatchObject({ type: "custom-iteration-start", parentId: iterationId, data: { type: "iteration-start", isInIteration: true } });
      expect(byId(childId)).toMatchObject({ parentId: iterationId, extent: "parent", data: { type: "template-transform", isInIteration: true, iteration_id: iterationId } });
      const innerEdge = saved.edges.find((e) => e.source === `${iterationId}start`)!;
      expect(innerEdge).toMatchObject({ target: childId, data: { isInIteration: true, iteration_id: iterationId } });
    });

    it("moves, grows, deletes, undoes, copies and pastes a container with its children", async () => {
      // Dragging the container by its title carries the children along.
      const before = await box(childId);
      const title = (await node(iterationId).locator(".wf-node-title").boundingBox())!;
      await page.mouse.move(title.x + 10, title.y + title.height / 2);
      await page.mouse.down();
      await page.mouse.move(title.x + 40, title.y + 90, { steps: 8 });
      await page.mouse.up();
      await expect.poll(async () => Math.round((await box(childId)).y - before.y)).toBeGreaterThan(60);
      expect(inside(await box(childId), await box(iterationId))).toBe(true);

      // A child dragged towards the right edge grows the container instead of leaving it.
      const width = (await box(iterationId)).width;
      const grip = (await node(childId).locator(".wf-node-title").boundingBox())!;
      await page.mouse.move(grip.x + 10, grip.y + grip.height / 2);
      await page.mouse.down();
      await page.mouse.move(grip.x + 210, grip.y + grip.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect.poll(async () => (await box(iterationId)).width).toBeGreaterThan(width + 100);
      expect(inside(await box(childId), await box(iterationId))).toBe(true);

      // A Code node dropped from the palette onto the container goes inside it.
      const container = await box(iterationId);
      await page.getByTestId("palette-code").dragTo(node(iterationId), { targetPosition: { x: 60, y: container.height - 40 } });
      const dropped = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      await page.getByTestId("node-panel-close").click();
      await expect.poll(async () => inside(await box(dropped), await box(iterationId))).toBe(true);
      await waitSaved();
      expect((await savedGraph()).nodes.find((n) => n.id === dropped)).toMatchObject({ parentId: iterationId, data: { type: "code", iteration_id: iterationId, isInIteration: true } });

      // Deleting the container deletes what is inside; undo brings all of it back.
      const nodesBefore = await page.getByTestId("canvas-node").count();
      const edgesBefore = await page.locator(".react-flow__edge").count();
      await node(iterationId).locator(".wf-node-title").click();
      await page.getByTestId("node-panel-close").click();
      await page.keyboard.press("Delete");
      await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(nodesBefore - 4);
      expect(await node(childId).count()).toBe(0);
      await page.getByTestId("undo").click();
      await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(nodesBefore);
      // One undo step: the edges that went with the nodes come back too.
      await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(edgesBefore);
      expect(inside(await box(childId), await box(iterationId))).toBe(true);

      // Copy and paste: a second container, its own start node and children, wired the same inside.
      await node(iterationId).locator(".wf-node-title").click();
      await page.getByTestId("node-panel-close").click();
      await page.keyboard.press("Control+c");
      await page.keyboard.press("Control+v");
      await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(nodesBefore + 4);
      await waitSaved();
      const saved = await savedGraph();
      const copies = saved.nodes.filter((n) => n.data.type === "iteration" && n.id !== iterationId);
      expect(copies).toHaveLength(1);
      const copy = copies[0];
      expect(copy.data.start_node_id).toBe(`${copy.id}start`);
      const copiedChildren = saved.nodes.filter((n) => n.parentId === copy.id).map((n) => n.data.type).sort();
      expect(copiedChildren).toEqual(["code", "iteration-start", "template-transform"]);
      expect(saved.edges.some((e) => e.source === `${copy.id}start` && e.data?.iteration_id === copy.id)).toBe(true);
      for (const id of saved.nodes.filter((n) => n.parentId === copy.id).map((n) => n.id)) expect(inside(await box(id), await box(copy.id))).toBe(true);
    });

    it("moves an existing node into a container by dragging it there, and out again from its panel", async () => {
      await page.getByTestId("palette-template-transform").click();
      const loose = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      await page.getByTestId("node-panel-close").click();
      // Placed where it covers nothing, and in view.
      const canvas = (await page.locator(".react-flow").boundingBox())!;
      await expect.poll(async () => inside(await box(loose), canvas)).toBe(true);
      await waitSaved();
      expect((await savedGraph()).nodes.find((n) => n.id === loose)!.parentId).toBeUndefined();

      // Dragged by its title until its centre is over the container: it goes inside.
      const target = await box(iterationId);
      const grip = (await node(loose).locator(".wf-node-title").boundingBox())!;
      const from = await box(loose);
      const hold = { x: grip.x + 10, y: grip.y + grip.height / 2 };
      await page.mouse.move(hold.x, hold.y);
      await page.mouse.down();
      // Where the held point goes so that the node's centre lands on the container's.
      const centre = { x: target.x + target.width / 2, y: target.y + target.height / 2 };
      await page.mouse.move(centre.x - from.width / 2 + (hold.x - from.x), centre.y - from.height / 2 + (hold.y - from.y), { steps: 12 });
      await page.mouse.up();
      await waitSaved();
      // (The pasted copy overlaps the first iteration and is drawn above it: it may be the one that takes the node.)
      const saved = await savedGraph();
      const moved = saved.nodes.find((n) => n.id === loose)!;
      const into = moved.parentId!;
      expect(saved.nodes.find((n) => n.id === into)!.data.type).toBe("iteration");
      expect(moved.data).toMatchObject({ isInIteration: true, iteration_id: into });
      expect(inside(await box(loose), await box(into))).toBe(true);

      // Out again from its panel: below the container, with no parent.
      await node(loose).locator(".wf-node-title").click();
      await page.getByTestId("node-move-out").click();
      await waitSaved();
      expect((await savedGraph()).nodes.find((n) => n.id === loose)!.parentId).toBeUndefined();
      expect(inside(await box(loose), await box(into))).toBe(false);
      await page.screenshot({ path: `${ARTIFACTS}69-editor-moved-out-of-container.png` });
      // One undo puts it back inside.
      await page.getByTestId("undo").click();
      await waitSaved();
      expect((await savedGraph()).nodes.find((n) => n.id === loose)!.parentId).toBe(into);
    });

    it("offers Exit loop inside a loop", async () => {
      await page.mouse.click(5, 5);
      await page.getByTestId("palette-loop").click();
      const loopId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      await page.getByTestId("loop-count").fill("3");
      await page.getByTestId("node-panel-close").click();
      await node(`${loopId}start`).waitFor();
      await node(loopId).getByTestId("container-add").click();
      expect(await page.getByTestId("container-add-iteration").count()).toBe(0);
      await page.getByTestId("container-add-loop-end").click();
      const endId = (await page.getByTestId("node-panel").getAttribute("data-node-id"))!;
      await page.getByTestId("node-panel-close").click();
      await expect.poll(async () => inside(await box(endId), await box(loopId))).toBe(true);
      await waitSaved();
      const saved = await savedGraph();
      expect(saved.nodes.find((n) => n.id === endId)).toMatchObject({ parentId: loopId, data: { type: "loop-end", isInLoop: true, loop_id: loopId } });
      expect(saved.nodes.find((n) => n.id === loopId)).toMatchObject({ data: { type: "loop", loop_count: 3, start_node_id: `${loopId}start` } });
      expect(saved.nodes.find((n) => n.id === `${loopId}start`)).toMatchObject({ type: "custom-loop-start", data: { type: "loop-start", isInLoop: true } });
    });

    it("sets a loop's variables and break condition in its panel, and the run stops when the condition holds", async () => {
      const call = consoleCaller(page);
      const app = await call("POST", "/apps", { name: "Loop settings", mode: "workflow" });
      const draft = await call("GET", `/apps/${app.id}/workflows/draft`);
      const edge = (source: string, target: string) => ({ id: `${source}-source-${target}-target`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom", data: {} });
      const graph = {
        nodes: [
          { id: "start", type: "custom", position: { x: 40, y: 200 }, data: { type: "start", title: "Start", variables: [] } },
          { id: "loop", type: "custom", position: { x: 340, y: 160 }, width: 388, height: 178, data: { type: "loop", title: "Loop", loop_count: 10, break_conditions: [], logical_operator: "and", loop_variables: [], start_node_id: "loopstart" } },
          { id: "loopstart", type: "custom-loop-start", parentId: "loop", position: { x: 24, y: 68 }, data: { type: "loop-start", title: "", isInLoop: true, loop_id: "loop" } },
          { id: "end", type: "custom", position: { x: 800, y: 200 }, data: { type: "end", title: "End", outputs: [{ variable: "n", value_selector: ["loop", "n"] }] } },
        ],
        edges: [edge("start", "loop"), edge("loop", "end")],
        viewport: { x: 0, y: 0, zoom: 1 },
      };
      await call("POST", `/apps/${app.id}/workflows/draft`, { graph, hash: draft.hash });
      await page.goto(`${base()}/app/${app.id}/draft`);
      await node("loop").locator(".wf-node-title").click();
      const panel = page.getByTestId("node-panel");
      await panel.getByTestId("loop-variables-add").click();
      await panel.getByTestId("loop-variable-name").fill("n");
      await panel.getByTestId("loop-variable-type").selectOption("number");
      await panel.getByTestId("loop-variable-value").fill("5");
      await panel.getByTestId("conditions-add").click();
      await panel.getByTestId("condition-variable").selectOption("loop.n");
      await panel.getByTestId("condition-operator").selectOption("≥");
      await panel.getByTestId("condition-value").fill("3");
      await page.screenshot({ path: `${ARTIFACTS}59-editor-loop-panel.png` });
      await waitSaved();
      const saved = (await call("GET", `/apps/${app.id}/workflows/draft`)).graph as { nodes: SavedNode[] };
      expect(saved.nodes.find((n) => n.id === "loop")!.data).toMatchObject({
        loop_variables: [{ label: "n", var_type: "number", value_type: "constant", value: 5 }],
        break_conditions: [{ variable_selector: ["loop", "n"], comparison_operator: "≥", value: "3" }],
        logical_operator: "and",
      });
      // n starts at 5 ≥ 3: the loop ends before its first round and hands n on.
      await page.getByTestId("node-panel-close").click();
      await page.getByTestId("run-open").click();
      await page.getByTestId("run-start").click();
      await page.locator('[data-testid="run-result"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId("run-outputs").textContent()).toMatch(/"n":\s*5\b/);
    });

    it("shows an imported Dify chatflow's iteration with its children inside", async () => {
      const yaml = readFileSync(new URL("../fixtures/dsl/chatflow.yml", import.meta.url), "utf8");
      const imported = await consoleCaller(page)("POST", "/apps/imports", { mode: "yaml-content", yaml_content: yaml, name: "Imported iteration" });
      await page.goto(`${base()}/app/${imported.app_id}/draft`);
      await node("echo").waitFor();
      expect(inside(await box("eachstart"), await box("each"))).toBe(true);
      expect(inside(await box("echo"), await box("each"))).toBe(true);
      await page.getByTestId("auto-layout").click();
      await expect.poll(async () => inside(await box("echo"), await box("each"))).toBe(true);
      expect((await box("echo")).x).toBeGreaterThan((await box("eachstart")).x);
      await page.screenshot({ path: `${ARTIFACTS}58-editor-imported-iteration.png` });
    });

    it("ran without console errors", () => {
      expect(errors).toEqual([]);
    });
  });
}
