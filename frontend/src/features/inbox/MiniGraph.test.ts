import { describe, expect, it } from "vitest";
import { miniBoxWidth, miniLabel } from "./MiniGraph";

describe("miniBoxWidth", () => {
  it("gives a flow of one box a layer the side column's width", () => {
    expect(miniBoxWidth(318, 1)).toBe(310);
  });

  it("shares the column between the boxes of the widest layer, never narrower than 150", () => {
    expect(miniBoxWidth(318, 2)).toBe(150);
    expect(miniBoxWidth(500, 2)).toBe(240);
    expect(miniBoxWidth(318, 4)).toBe(150);
  });

  it("keeps the narrowest width before the column is measured", () => {
    expect(miniBoxWidth(0, 1)).toBe(150);
  });
});

describe("miniLabel", () => {
  it("shows a title of a few words whole in a wide box", () => {
    expect(miniLabel("Validate the customer's email", 310)).toBe("Validate the customer's email");
  });

  it("cuts a title the box cannot hold, with an ellipsis", () => {
    const cut = miniLabel("Validate the customer's email", 150);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeLessThan(29);
  });
});
