// The form editor says in the page why a schema opens as JSON only.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { FormFieldsInput } from "./FormFieldsInput";

afterEach(cleanup);

describe("FormFieldsInput", () => {
  it("says why a schema the fields cannot say is edited as JSON", () => {
    const lines = { type: "object", properties: { lines: { type: "array", items: { type: "object", properties: { sku: { type: "string" } } } } } };
    render(<FormFieldsInput id="f" value={lines} onChange={() => undefined} purpose="input" />);
    expect(screen.getByTestId("form-json-only").textContent).toContain("edit it as JSON");
    expect((screen.getByTestId("form-mode-fields") as HTMLButtonElement).disabled).toBe(true);
  });

  it("says nothing of the kind when the fields can say it", () => {
    render(<FormFieldsInput id="f" value={{ type: "object", properties: { note: { type: "string" } } }} onChange={() => undefined} purpose="input" />);
    expect(screen.queryByTestId("form-json-only")).toBeNull();
  });
});
