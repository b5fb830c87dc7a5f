// A tool input's field as a person meets it: the helpers its JSON Schema gives.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { Issue } from "../../../graph";
import { useDesigner } from "../store";
import { TextFix, ToolInputField } from "./ToolInputField";

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

describe("ToolInputField's required input left empty", () => {
  const missing: Issue = {
    code: "missing_input", node: "n", field: "inputs.to",
    message: "Node `n` does not supply required input `to` of tool `send_email` (no join from `a` provides it).",
    hint: "Add `inputs.to`: an expression giving a string, such as a field of the run input (`input.<field>`) or of an upstream node's output; or declare a join from `a` to `n` that maps `to`.",
  };

  it("says only that it is required, and keeps saying what the input is for", () => {
    render(
      <ToolInputField name="to" schema={{ type: "string", description: "Recipient address." }} required value="" issues={[missing]}
        nodeId="n" locals={[]} disabled={false} onChange={() => undefined} />,
    );
    expect(screen.getByRole("alert").textContent).toBe("missing_input This input is required.");
    expect(screen.getByText("Recipient address.")).toBeTruthy();
    expect(document.body.textContent).not.toContain("declare a join");
  });

  it("once something is typed, an issue about it is shown in full", () => {
    const wrong = { ...missing, code: "unknown_reference", message: "Node `n` field `inputs.to` reads `custmer`." };
    render(
      <ToolInputField name="to" schema={{ type: "string", description: "Recipient address." }} required value="custmer" issues={[wrong]}
        nodeId="n" locals={[]} disabled={false} onChange={() => undefined} />,
    );
    expect(screen.getByRole("alert").textContent).toContain("reads custmer");
    expect(screen.queryByText("Recipient address.")).toBeNull();
  });
});

describe("TextFix", () => {
  it("quotes plain text in any expression field the validator could not read", () => {
    const changes: string[] = [];
    const issue = { code: "expression_error", message: "", node: "n", field: "value", hint: null };
    render(<TextFix value="All done" issues={[issue]} onChange={(next) => changes.push(next)} />);
    fireEvent.click(screen.getByRole("button"));
    expect(changes).toEqual(['"All done"']);
    cleanup();
    render(<TextFix value="check.valid" issues={[]} onChange={() => undefined} />);
    expect(screen.queryByRole("button")).toBeNull();
  });
});

/** A field whose value lives in state, as the inspector's does (through the store). */
function Live({ initial, schema, issues = [], onValue }: { initial: string; schema: Record<string, unknown>; issues?: Issue[]; onValue: (value: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <ToolInputField name="body" schema={schema} required value={value} issues={issues} nodeId="n" locals={[]} disabled={false}
      onChange={(next) => {
        setValue(next);
        onValue(next);
      }} />
  );
}

function live(initial: string, schema: Record<string, unknown> = { type: "string" }, issues: Issue[] = []) {
  const values: string[] = [];
  const view = render(<Live initial={initial} schema={schema} issues={issues} onValue={(next) => values.push(next)} />);
  const box = () => view.container.querySelector("textarea")!;
  const mode = () => screen.getByRole("radio", { checked: true }).textContent;
  return { values, box, mode, view };
}

describe("ToolInputField, Text and Expression", () => {
  it("takes plain text typed into an empty text input as text, stored as a CEL string", () => {
    const { values, box, mode } = live("");
    expect(mode()).toBe("Text");
    fireEvent.change(box(), { target: { value: 'Hello, we found your "account"' } });
    expect(values.at(-1)).toBe('"Hello, we found your \\"account\\""');
    expect(box().value).toBe('Hello, we found your "account"');
    fireEvent.change(box(), { target: { value: "" } });
    expect(values.at(-1)).toBe(""); // nothing typed: the input is left out, as before
  });

  it("opens a stored string unquoted in Text, and an expression in Expression", () => {
    const text = live('"Welcome aboard"');
    expect(text.mode()).toBe("Text");
    expect(text.box().value).toBe("Welcome aboard");
    cleanup();
    const expression = live("'Hi ' + input.name");
    expect(expression.mode()).toBe("Expression");
    expect(expression.box().value).toBe("'Hi ' + input.name");
    expect(expression.box().getAttribute("role")).toBe("combobox"); // the CEL box, with completion
  });

  it("switches modes without losing the value: the literal shows quoted, then plain again", () => {
    const { values, box, mode } = live('"Welcome"');
    fireEvent.click(screen.getByRole("radio", { name: "Expression" }));
    expect(mode()).toBe("Expression");
    expect(box().value).toBe('"Welcome"');
    fireEvent.change(box(), { target: { value: "input.name" } });
    fireEvent.click(screen.getByRole("radio", { name: "Text" }));
    expect(values.at(-1)).toBe('"input.name"'); // asked for text: what was written, as text
    expect(mode()).toBe("Text");
    expect(box().value).toBe("input.name");
  });

  it("offers text that reads as a reference as an expression", () => {
    const { values, mode } = live("");
    fireEvent.change(screen.getByRole("textbox"), { target: { value: "input.email" } });
    expect(values.at(-1)).toBe('"input.email"');
    fireEvent.click(screen.getByRole("button", { name: /Use input\.email as an expression/ }));
    expect(values.at(-1)).toBe("input.email");
    expect(mode()).toBe("Expression");
  });

  it("keeps the one-click quoting in Expression mode, and lands in Text after it", () => {
    const issue: Issue = { code: "expression_error", message: "Syntax error", node: "n", field: "inputs.body", hint: null };
    const { values, mode } = live("Hello there", { type: "string" }, [issue]);
    expect(mode()).toBe("Expression");
    fireEvent.click(screen.getByRole("button", { name: /as text/ }));
    expect(values.at(-1)).toBe('"Hello there"');
    expect(mode()).toBe("Text");
  });

  it("shows an expression that replaces text (an undo) in Expression", () => {
    const values: string[] = [];
    const view = render(<ToolInputField name="body" schema={{ type: "string" }} required={false} value={'"Hi"'} issues={[]} nodeId="n"
      locals={[]} disabled={false} onChange={(next) => values.push(next)} />);
    expect(screen.getByRole("radio", { checked: true }).textContent).toBe("Text");
    view.rerender(<ToolInputField name="body" schema={{ type: "string" }} required={false} value="input.name" issues={[]} nodeId="n"
      locals={[]} disabled={false} onChange={(next) => values.push(next)} />);
    expect(screen.getByRole("radio", { checked: true }).textContent).toBe("Expression");
    expect((screen.getByRole("combobox") as HTMLTextAreaElement).value).toBe("input.name");
    expect(values).toEqual([]); // showing it changed nothing
  });

  it("gives numbers, booleans and lists no Text mode", () => {
    for (const schema of [{ type: "integer" }, { type: "boolean" }, { type: "array", items: { type: "string" } }]) {
      render(<ToolInputField name="x" schema={schema} required={false} value="" issues={[]} nodeId="n" locals={[]} disabled={false} onChange={() => undefined} />);
      expect(screen.queryByTestId("input-mode")).toBeNull();
      cleanup();
    }
  });
});

describe("ToolInputField, text with {{ }} parts", () => {
  it("stores text with parts as a CEL concatenation and keeps showing it as typed", () => {
    const { values, box, mode } = live("");
    fireEvent.change(box(), { target: { value: "Hello {{customer.name}}, your order {{ order.id }} shipped" } });
    expect(values.at(-1)).toBe('"Hello " + string(customer.name) + ", your order " + string(order.id) + " shipped"');
    expect(mode()).toBe("Text");
    expect(box().value).toBe("Hello {{customer.name}}, your order {{ order.id }} shipped"); // as typed, not respaced
    expect([...screen.getAllByTestId("template-part")].map((part) => part.textContent)).toEqual(["customer.name", "order.id"]);
  });

  it("opens such a concatenation in Text, and keeps a part still being typed in Text", () => {
    const { values, box, mode } = live('"Hi " + string(input.name) + "!"');
    expect(mode()).toBe("Text");
    expect(box().value).toBe("Hi {{ input.name }}!");
    fireEvent.change(box(), { target: { value: "Hi {{ input.name }}! {{ a ) }}" } });
    expect(values.at(-1)).toBe('"Hi " + string(input.name) + "! " + string(a ))');
    expect(mode()).toBe("Text"); // the IR holds what was typed: the field stays in Text
  });

  it("closes a {{ as it is typed", () => {
    const { values, box } = live("");
    fireEvent.change(box(), { target: { value: "Dear {{" } }); // the cursor is at the end
    expect(values.at(-1)).toBe('"Dear {{  }}"');
  });

  it("says which part an issue is about", () => {
    const issue: Issue = {
      code: "unknown_field", message: "Node `n` field `inputs.body` reads `customer.nme`, but `customer` has no field `nme`.",
      node: "n", field: "inputs.body", hint: null,
    };
    live('"Hello " + string(customer.nme) + ", order " + string(order.id)', { type: "string" }, [issue]);
    expect(screen.getByRole("alert").textContent).toContain("In {{ customer.nme }}:");
    const parts = screen.getAllByTestId("template-part");
    expect(parts.map((part) => part.getAttribute("data-invalid"))).toEqual(["true", null]);
  });

  it("offers the name a part plainly meant, and shows the fix as text", () => {
    useDesigner.setState({ ir: { ...useDesigner.getState().ir, nodes: [{ id: "greet", type: "tool", tool: "t", inputs: {} }] } as never });
    const issue: Issue = { code: "unknown_reference", message: "Node `n` field `inputs.body` reads `greeet`, which is neither `input` nor a node id.", node: "n", field: "inputs.body", hint: null };
    const { values, box } = live('"Hi " + string(greeet.status)', { type: "string" }, [issue]);
    const fix = screen.getByTestId("reference-fix").querySelector("button")!;
    expect(fix.textContent).toBe("Use Hi {{ greet.status }}");
    fireEvent.click(fix);
    expect(values.at(-1)).toBe('"Hi " + string(greet.status)');
    expect(box().value).toBe("Hi {{ greet.status }}");
  });
});
