import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { PlanFailure } from "../planEvents";
import { PlanErrorPanel } from "./PlanErrorPanel";

afterEach(cleanup);

const UNMAPPED: PlanFailure = {
  code: "unmapped_step",
  message: "Could not map the step 'Refund the order': no tool in the catalogue does that.",
  step: "Refund the order",
  candidates: [],
  issues: [],
};

const noop = () => undefined;

describe("PlanErrorPanel", () => {
  it("offers staff the admin's page to register a tool when a step matched none, in another tab", () => {
    render(<PlanErrorPanel failure={UNMAPPED} onEdit={noop} onBuildByHand={noop} registerToolUrl="/admin/tools_registry/tool/add/" />);
    const link = screen.getByTestId("plan-register-tool");
    expect(link.getAttribute("href")).toBe("/admin/tools_registry/tool/add/");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(screen.getByTestId("plan-error").textContent).toContain("register a tool that does it (then plan again)");
  });

  it("offers no registration to anyone else, nor for a failure that is not a missing tool", () => {
    render(<PlanErrorPanel failure={UNMAPPED} onEdit={noop} onBuildByHand={noop} registerToolUrl={null} />);
    expect(screen.queryByTestId("plan-register-tool")).toBeNull();
    cleanup();
    render(<PlanErrorPanel failure={{ ...UNMAPPED, code: "invalid_plan", step: null }} onEdit={noop} onBuildByHand={noop} registerToolUrl="/admin/tools_registry/tool/add/" />);
    expect(screen.queryByTestId("plan-register-tool")).toBeNull();
    expect(screen.getByTestId("plan-build-by-hand")).toBeTruthy();
  });
});
