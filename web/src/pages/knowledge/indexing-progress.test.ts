import { describe, expect, it } from "vitest";
import { indexingProgress, isIndexing, uploadLabel } from "./indexing-progress";

const doc = { enabled: true, archived: false, error: null, completed_segments: 0, total_segments: 0 };

describe("indexing progress", () => {
  it("counts chunks while indexing", () => {
    expect(indexingProgress({ ...doc, indexing_status: "indexing", completed_segments: 3, total_segments: 12 })).toEqual({ percent: 25, label: "Indexing 3/12 chunks", tone: "active" });
  });

  it("names the step before chunks are known", () => {
    expect(indexingProgress({ ...doc, indexing_status: "waiting" })).toEqual({ percent: 0, label: "Queued", tone: "active" });
    expect(indexingProgress({ ...doc, indexing_status: "splitting" }).label).toBe("Splitting into chunks");
  });

  it("fills the bar when done and says whether the document is searchable", () => {
    expect(indexingProgress({ ...doc, indexing_status: "completed", completed_segments: 4, total_segments: 4 })).toEqual({ percent: 100, label: "Available", tone: "done" });
    expect(indexingProgress({ ...doc, enabled: false, indexing_status: "completed" }).label).toBe("Disabled");
  });

  it("keeps the progress reached when indexing failed", () => {
    expect(indexingProgress({ ...doc, indexing_status: "error", completed_segments: 1, total_segments: 4, error: "boom" })).toEqual({ percent: 25, label: "Error", tone: "error" });
  });

  it("polls only while a document is on its way", () => {
    expect(["waiting", "parsing", "indexing"].every((s) => isIndexing(s as never))).toBe(true);
    expect(["completed", "error", "paused"].some((s) => isIndexing(s as never))).toBe(false);
  });

  it("labels upload progress", () => {
    expect(uploadLabel(0.421)).toBe("Uploading 42%");
    expect(uploadLabel(1)).toBe("Uploaded, waiting for the server");
  });
});
