import { describe, expect, it } from "vitest";
import { countOf, noun } from "./plural";

describe("countOf", () => {
  it("says one thing in the singular and every other count in the plural", () => {
    expect(countOf(1, "tool")).toBe("1 tool");
    expect(countOf(0, "tool")).toBe("0 tools");
    expect(countOf(2, "tool")).toBe("2 tools");
  });

  it("takes an irregular plural", () => {
    expect(countOf(1, "category", "categories")).toBe("1 category");
    expect(countOf(3, "category", "categories")).toBe("3 categories");
  });

  it("groups the digits of big counts", () => {
    expect(countOf(12500, "token")).toBe("12,500 tokens");
  });
});

describe("noun", () => {
  it("gives the noun alone for a count shown elsewhere", () => {
    expect(noun(1, "item")).toBe("item");
    expect(noun(5, "item")).toBe("items");
  });
});
