// The refine panel lists what refine understands: the forms table of docs/planner.md.
import { describe, expect, it } from "vitest";
import planner from "../../../../docs/planner.md?raw";
import { REFINE_FORMS } from "./refineForms";

/** The forms table under "The offline planner understands these forms": [form, examples]. */
function documentedForms(): [string, string][] {
  const start = planner.indexOf("The offline planner understands these forms:");
  expect(start).toBeGreaterThan(0);
  const table = planner.slice(start).split("\n\n")[1];
  return table
    .split("\n")
    .slice(2)
    .map((row) => row.split(" | ").map((cell) => cell.replace(/^\|\s*|\s*\|$/g, "").trim()) as [string, string]);
}

describe("REFINE_FORMS", () => {
  it("names every form the docs list, in their order", () => {
    const forms = documentedForms().map(([form]) => form.toLowerCase());
    expect(forms).toContain("copy someone in");
    expect(REFINE_FORMS.map(({ form }) => form.toLowerCase())).toEqual(forms);
  });

  it("gives for each an example the docs give for it", () => {
    const examples = new Map(documentedForms().map(([form, text]) => [form.toLowerCase(), text]));
    for (const { form, example } of REFINE_FORMS) {
      expect(examples.get(form.toLowerCase()), form).toContain(`"${example}"`);
    }
  });
});
