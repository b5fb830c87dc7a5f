import { describe, expect, it } from "vitest";
import { celOfTemplate, filledPlaceholders, openPlaceholder, partOfIssue, templateOf, typedBraces } from "./textTemplate";

describe("celOfTemplate", () => {
  it("writes text alone as one string literal", () => {
    expect(celOfTemplate("Hello")).toBe('"Hello"');
    expect(celOfTemplate("")).toBe("");
    expect(celOfTemplate('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });

  it("writes each {{ }} part as string(expr) joined to the text by +", () => {
    expect(celOfTemplate("Hello {{ customer.name }}, your order {{order.id}} shipped"))
      .toBe('"Hello " + string(customer.name) + ", your order " + string(order.id) + " shipped"');
    expect(celOfTemplate("{{ a }}{{ b }}")).toBe("string(a) + string(b)");
    expect(celOfTemplate("{{ input.items[0] }}!")).toBe('string(input.items[0]) + "!"');
  });

  it("keeps an empty or unclosed placeholder as text: nothing to compute yet", () => {
    expect(celOfTemplate("Hello {{ }}")).toBe('"Hello {{ }}"');
    expect(celOfTemplate("Hello {{ cust")).toBe('"Hello {{ cust"');
  });
});

describe("templateOf", () => {
  it("reads back every template it writes, exactly", () => {
    for (const template of [
      "Hello {{ customer.name }}, your order {{ order.id }} shipped",
      "{{ a }}{{ b }}",
      "Total: {{ size(input.items) }} items",
      "{{ lookup.plan == \"free\" ? \"offer\" : \"gift\" }}",
      "plain text",
      "Hi {{ }} there",
      "",
    ]) {
      const cel = celOfTemplate(template);
      if (cel === "") continue;
      expect(templateOf(cel)).toBe(template);
    }
  });

  it("reads a plain literal in either quote as its text", () => {
    expect(templateOf("'billing'")).toBe("billing");
    expect(templateOf('"Hello"')).toBe("Hello");
  });

  it("reads nothing it would not write back as it was", () => {
    expect(templateOf('"Hello, " + input.who')).toBeNull(); // a bare reference, not string(…)
    expect(templateOf('"a" + "b"')).toBeNull(); // two literals: written back as one
    expect(templateOf('"Hi " +string(x)')).toBeNull(); // spacing differs
    expect(templateOf("string(a).size()")).toBeNull();
    expect(templateOf("string(a)(b)")).toBeNull();
    expect(templateOf('"{{ input.name }}"')).toBeNull(); // braces that would become a part
    expect(templateOf("input.email")).toBeNull();
    expect(templateOf("string(x) + ")).toBeNull();
    expect(templateOf('"a" + string("}}")')).toBeNull();
  });

  it("keeps + and quotes inside a part in that part", () => {
    const cel = '"Sum: " + string(a + b) + " (" + string(c["x+y"]) + ")"';
    expect(templateOf(cel)).toBe('Sum: {{ a + b }} ({{ c["x+y"] }})');
  });
});

describe("partOfIssue", () => {
  const template = "Hello {{ customer.nme }}, order {{ order.id }}";

  it("finds the part a quoted name is in", () => {
    expect(partOfIssue(template, "Node `send` field `inputs.body` reads `customer.nme`, but `customer` has no field `nme`.")).toBe(0);
    expect(partOfIssue(template, "Node `send` reads `order`, but no node has that id.")).toBe(1);
  });

  it("finds the part a syntax error's column falls in", () => {
    const cel = celOfTemplate("Hi {{ a }} and {{ b ) }}");
    const column = cel.indexOf(")", cel.indexOf("string(b")) + 1;
    expect(partOfIssue("Hi {{ a }} and {{ b ) }}", `mismatched input ')' at column ${column} in \`${cel}\``)).toBe(1);
  });

  it("says none when nothing points at one part", () => {
    expect(partOfIssue(template, "Node `send` field `inputs.body` expects a number.")).toBe(-1);
  });
});

describe("filledPlaceholders and openPlaceholder", () => {
  it("lists the parts that compute something", () => {
    expect(filledPlaceholders("a {{ x }} {{ }} {{y}}").map((part) => part.source)).toEqual(["x", "y"]);
  });

  it("finds the expression being typed in an open {{", () => {
    expect(openPlaceholder("Hello {{ cust")).toEqual({ from: 8, source: " cust" });
    expect(openPlaceholder("Hello {{ a }} and")).toBeNull();
    expect(openPlaceholder("Hello")).toBeNull();
  });
});

/** Types `keys` one by one at the end of `start`, as the Text box applies each keystroke. */
function typeInto(start: string, keys: string): string {
  let text = start;
  let cursor = start.length;
  for (const key of keys) {
    const next = text.slice(0, cursor) + key + text.slice(cursor);
    const braces = typedBraces(text, next, cursor + 1);
    text = braces ? braces.text : next;
    cursor = braces ? braces.cursor : cursor + 1;
  }
  return text;
}

describe("typedBraces", () => {
  it("opens a placeholder when {{ is typed", () => {
    expect(typedBraces("Hi {", "Hi {{", 5)).toEqual({ text: "Hi {{  }}", cursor: 6 });
  });

  it("steps over the }} it put there when the placeholder is closed by hand", () => {
    expect(typeInto("", "Order {{ validate_order.order_id }} charged")).toBe("Order {{ validate_order.order_id }} charged");
    expect(celOfTemplate(typeInto("", "Charged {{ payment.amount }}"))).toBe('"Charged " + string(payment.amount)');
    expect(typeInto("", "{{ a }}{{ b }}!")).toBe("{{ a }}{{ b }}!");
    expect(typeInto("", "{{a}}")).toBe("{{ a}}");
  });

  it("leaves braces typed elsewhere as typed", () => {
    expect(typedBraces("a }", "a }}", 4)).toBeNull();
    expect(typedBraces("{{ x }}", "{{ x }}}", 8)).toBeNull(); // a third brace, inside nothing open
    expect(typeInto("", "{{ x } y")).toBe("{{ x } y }}");
  });
});
