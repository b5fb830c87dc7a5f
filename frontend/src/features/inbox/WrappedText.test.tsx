import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { splitLongTokens } from "./format";
import { WrappedText } from "./WrappedText";

const url = "https://example.com/refunds/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789?customer=ada";

describe("splitLongTokens", () => {
  it("keeps words and spaces as they are and sets long unbroken tokens apart", () => {
    expect(splitLongTokens(`Refund request, see ${url} today`)).toEqual([
      { text: "Refund request, see ", long: false },
      { text: url, long: true },
      { text: " today", long: false },
    ]);
    expect(splitLongTokens("A plain sentence of short words.")).toEqual([{ text: "A plain sentence of short words.", long: false }]);
    expect(splitLongTokens("ord_7f3a9c2e1b4d5a6f7e8d9c0b")).toEqual([{ text: "ord_7f3a9c2e1b4d5a6f7e8d9c0b", long: true }]);
  });
});

describe("WrappedText", () => {
  it("shows a long token whole, with its full value on hover", () => {
    const { container } = render(<WrappedText text={`Your refund: ${url} (ask us)`} />);
    const token = container.querySelector(".long-token")!;
    expect(token.textContent).toBe(url);
    expect(token.getAttribute("title")).toBe(url);
    expect(container.textContent).toBe(`Your refund: ${url} (ask us)`);
  });

  it("leaves text of short words as plain text", () => {
    const { container } = render(<WrappedText text="Approve the refund: it is over 100." />);
    expect(container.querySelector(".long-token")).toBeNull();
    expect(container.textContent).toBe("Approve the refund: it is over 100.");
  });
});
