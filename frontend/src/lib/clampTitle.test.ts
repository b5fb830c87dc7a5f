import { describe, expect, it } from "vitest";
import { clampToLines } from "./clampTitle";

/** Every character 10 pixels wide. */
const measure = (text: string) => text.length * 10;

describe("clampToLines", () => {
  it("keeps a title that fits in its lines", () => {
    expect(clampToLines("Check the address", 200, 2, measure)).toBe("Check the address");
    expect(clampToLines("Check the address of the customer", 200, 2, measure)).toBe("Check the address of the customer");
  });

  it("cuts a longer title after its last whole word, with an ellipsis", () => {
    // 20 characters a line: "Send the weekly" / "sales report to…" (" every" and the
    // ellipsis would make 22)
    const cut = clampToLines("Send the weekly sales report to every manager in the region", 200, 2, measure);
    expect(cut).toBe("Send the weekly sales report to…");
    expect(cut.endsWith("…")).toBe(true);
    const words = "Send the weekly sales report to every manager in the region".split(" ");
    for (const word of cut.slice(0, -1).split(" ")) expect(words).toContain(word);
  });

  it("cuts inside a word only when one word is wider than the last line", () => {
    const cut = clampToLines("Run Supercalifragilisticexpialidocious", 100, 1, measure);
    expect(cut).toBe("Run…");
    expect(clampToLines("Supercalifragilisticexpialidocious", 100, 1, measure)).toBe("Supercali…");
  });
});
