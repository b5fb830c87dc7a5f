import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ClampedText, needsClamp } from "./ClampedText";

afterEach(cleanup);

describe("ClampedText", () => {
  it("clamps a long text with 'Show more', and opens it whole", () => {
    const long = "Checks each new customer's address, greets them, and opens a ticket when it bounces. ".repeat(5);
    render(<ClampedText text={long} testId="desc" />);
    expect(screen.getByTestId("desc").className).toContain("is-clamped");
    const toggle = screen.getByTestId("desc-toggle");
    expect(toggle.textContent).toBe("Show more");
    fireEvent.click(toggle);
    expect(screen.getByTestId("desc").className).not.toContain("is-clamped");
    expect(toggle.textContent).toBe("Show less");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
  });
  it("leaves a short text as it is", () => {
    render(<ClampedText text="Greets new users." testId="desc" />);
    expect(screen.queryByTestId("desc-toggle")).toBeNull();
    expect(needsClamp("a\nb\nc\nd")).toBe(true);
  });
});
