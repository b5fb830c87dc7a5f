import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { PlanWarnings } from "./PlanWarnings";

afterEach(cleanup);

describe("PlanWarnings", () => {
  it("says a request was planned offline when the LLM planner is not configured", () => {
    render(<PlanWarnings warnings={[{ code: "llm_unavailable", message: "no model (OPENAI_API_KEY)" }]} />);
    const notice = screen.getByTestId("plan-warnings");
    expect(notice.getAttribute("role")).toBe("status");
    expect(screen.getByTestId("plan-warning-llm_unavailable").textContent).toBe(
      "Planned with the offline planner: the LLM planner was asked for, but no model is configured on this server.",
    );
  });
  it("shows the server's words for a warning it does not know, and nothing without warnings", () => {
    const { container } = render(<PlanWarnings warnings={[]} />);
    expect(container.innerHTML).toBe("");
    render(<PlanWarnings warnings={[{ code: "other", message: "Something to know." }]} />);
    expect(screen.getByTestId("plan-warning-other").textContent).toBe("Something to know.");
  });
});
