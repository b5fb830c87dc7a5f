import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { JsonView, STRING_LIMIT } from "./JsonView";

afterEach(cleanup);

describe("JsonView", () => {
  it("shows a long list's first items folded, numbered, each with a preview", () => {
    const items = Array.from({ length: 150 }, (_, i) => ({ score: i, sentiment: "positive", terms: ["good"] }));
    const { container } = render(<JsonView value={items} />);
    const folded = container.querySelectorAll(".jv-children > [data-folded]");
    expect(folded).toHaveLength(50);
    expect(folded[1].textContent).toContain("1: ");
    expect(folded[1].textContent).toContain('{3} {"score":1,"sentiment":"positive","terms":["good"]}');
    expect(screen.getByRole("button", { name: "Show 100 more" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show 100 more" }));
    expect(container.querySelectorAll(".jv-children > [data-folded]")).toHaveLength(150);
  });

  it("opens a small object's fields, as before", () => {
    const { container } = render(<JsonView value={{ a: { b: 1 }, c: [1, 2] }} />);
    expect(container.querySelectorAll("[data-folded]")).toHaveLength(0);
    expect(container.textContent).toContain("b: 1");
  });

  it("cuts a long string, and shows it whole on request", () => {
    const text = "word ".repeat(2000);
    const { container } = render(<JsonView value={{ text }} />);
    expect(container.textContent!.length).toBeLessThan(STRING_LIMIT + 200);
    fireEvent.click(screen.getByTestId("json-string-more"));
    expect(container.textContent).toContain(text);
  });

  it("folds a huge list without listing its items", () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => `text ${i}`);
    const { container } = render(<JsonView value={{ texts: huge, n: 1, m: 2, o: 3, p: 4, q: 5, r: 6, s: 7, t: 8, u: 9, v: 10 }} />);
    const row = container.querySelector("[data-folded]")!;
    expect(row.textContent).toContain("texts: [100000]");
    expect(container.querySelectorAll(".jv-row").length).toBeLessThan(20);
  });
});
