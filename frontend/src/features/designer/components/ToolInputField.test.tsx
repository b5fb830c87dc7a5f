// A tool input's field as a person meets it: the helpers its JSON Schema gives.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ToolInputField } from "./ToolInputField";

afterEach(cleanup);

function field(schema: Record<string, unknown>, value = "", disabled = false) {
  const changes: string[] = [];
  render(
    <ToolInputField name="queue" schema={schema} required={false} value={value} issues={[]} nodeId="n"
      locals={[]} disabled={disabled} onChange={(next) => changes.push(next)} />,
  );
  return changes;
}

describe("ToolInputField", () => {
  it("offers a few listed values as buttons, and writes the literal of the one pressed", () => {
    const changes = field({ type: "string", enum: ["low", "high"], default: "low" }, '"high"');
    expect(screen.getByRole("button", { name: "high" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "low" }));
    expect(changes).toEqual(['"low"']);
  });

  it("offers many listed values in a list instead", () => {
    const values = Array.from({ length: 12 }, (_, i) => `queue_${i}`);
    const changes = field({ type: "string", enum: values });
    const list = screen.getByRole("combobox", { name: "Values of queue" });
    fireEvent.change(list, { target: { value: '"queue_7"' } });
    expect(changes).toEqual(['"queue_7"']);
    expect(screen.queryByRole("button", { name: "queue_7" })).toBeNull();
  });

  it("in a read-only flow shows what a list's items hold but offers nothing to change", () => {
    field({ type: "array", items: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } } }, "", true);
    expect(screen.getByTestId("input-fields").textContent).toBe("Each item: sku.");
    expect(screen.queryByTestId("input-template")).toBeNull();
  });
});
