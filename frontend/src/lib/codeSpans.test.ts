import { describe, expect, it } from "vitest";
import { codeSpans } from "./codeSpans";

describe("codeSpans", () => {
  it("marks backticked names as code and keeps the text around them", () => {
    expect(codeSpans("Node `send_email` does not supply `to`.")).toEqual([
      { text: "Node ", code: false },
      { text: "send_email", code: true },
      { text: " does not supply ", code: false },
      { text: "to", code: true },
      { text: ".", code: false },
    ]);
  });

  it("leaves a lone or empty backtick as text", () => {
    expect(codeSpans("a ` b")).toEqual([{ text: "a ` b", code: false }]);
    expect(codeSpans("an empty `` pair")).toEqual([{ text: "an empty `` pair", code: false }]);
  });

  it("gives nothing for an empty message", () => {
    expect(codeSpans("")).toEqual([]);
  });
});
