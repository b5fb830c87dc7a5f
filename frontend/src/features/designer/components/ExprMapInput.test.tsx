// A map of names to expressions (an approval's context, a value's fields) says which box is which.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ExprMapInput } from "./fields";

afterEach(cleanup);

function map(value: Record<string, string>) {
  const { container } = render(
    <ExprMapInput value={value} nodeId="ok" path="context" issues={[]} onChange={() => undefined} />,
  );
  return container.querySelector(".expr-map") as HTMLElement;
}

describe("ExprMapInput", () => {
  it("heads its two columns, so `input` beside `input` reads as a name and its expression", () => {
    const shown = map({ input: "input" });
    expect(shown.classList.contains("stacked")).toBe(false);
    expect(screen.getByTestId("expr-map-head").textContent).toBe("NameExpression");
  });

  it("with long names, says each expression is under its name", () => {
    const shown = map({ input: "input", validate_order: "validate_order" });
    expect(shown.classList.contains("stacked")).toBe(true);
    expect(screen.getByTestId("expr-map-head").textContent).toBe("Name, with its expression under it");
  });

  it("heads nothing when there is no row", () => {
    map({});
    expect(screen.queryByTestId("expr-map-head")).toBeNull();
  });
});
