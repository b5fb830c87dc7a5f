import { describe, expect, it } from "vitest";
import { inspectorLabel, openPanels, shownPanel, toggleAction } from "./sidePanels";

describe("the designer's side panels", () => {
  it("lists the open panels in the order of their tabs", () => {
    expect(openPanels({ refine: true, versions: false, inspector: true })).toEqual(["inspector", "refine"]);
    expect(openPanels({ refine: false, versions: true, inspector: false })).toEqual(["versions"]);
    expect(openPanels({ refine: false, versions: false, inspector: false })).toEqual([]);
  });

  it("shows one panel at a time: the one brought to the front, else the first open", () => {
    expect(shownPanel(["inspector", "refine"], "refine")).toBe("refine");
    expect(shownPanel(["inspector", "refine"], "inspector")).toBe("inspector");
    // the panel in front was closed: the next one open is shown
    expect(shownPanel(["refine"], "inspector")).toBe("refine");
    expect(shownPanel([], "refine")).toBeNull();
    expect(shownPanel(["inspector", "versions"], null)).toBe("inspector");
  });

  it("a toolbar button opens its panel, brings it to the front, or closes it when shown", () => {
    expect(toggleAction("refine", ["inspector"], "inspector")).toBe("open");
    expect(toggleAction("refine", ["inspector", "refine"], "inspector")).toBe("front");
    expect(toggleAction("refine", ["inspector", "refine"], "refine")).toBe("close");
    expect(toggleAction("inspector", ["inspector", "refine"], "refine")).toBe("front");
    expect(toggleAction("inspector", ["inspector"], null)).toBe("close");
  });

  it("names the inspector's tab after what it shows", () => {
    expect(inspectorLabel(true, 0)).toBe("Settings");
    expect(inspectorLabel(false, 1)).toBe("Step");
    expect(inspectorLabel(false, 3)).toBe("3 steps");
  });
});
