import { describe, expect, it } from "vitest";
import { requestedStep, stepInDesigner } from "./stepLink";

describe("stepInDesigner", () => {
  it("names the version, the step and the field", () => {
    expect(stepInDesigner(4, 2, { node: "send_email", field: "inputs.body" }))
      .toBe("/flows/4/v/2?node=send_email&field=inputs.body");
    expect(stepInDesigner(4, 2, { node: "a b", field: null })).toBe("/flows/4/v/2?node=a+b");
  });
});

describe("requestedStep", () => {
  it("reads back the step a link names", () => {
    const search = new URL(`http://x${stepInDesigner(1, 1, { node: "send_email", field: "inputs.body" })}`).searchParams;
    expect(requestedStep(search, ["charge", "send_email"])).toEqual({ node: "send_email", field: "inputs.body" });
  });

  it("asks for nothing when the step is not in this version", () => {
    expect(requestedStep(new URLSearchParams("node=gone"), ["charge"])).toBeNull();
    expect(requestedStep(new URLSearchParams(""), ["charge"])).toBeNull();
  });
});
