import { describe, expect, it } from "vitest";
import { jsonSyntaxError, notValidJsonMessage } from "./jsonSyntax";

function message(text: string): string {
  try {
    JSON.parse(text);
    return "valid";
  } catch (error) {
    return notValidJsonMessage(text, (error as Error).message);
  }
}

describe("where a JSON text breaks", () => {
  it("names the line and column and what was expected", () => {
    const text = '{\n  "name": "Orders",\n  "nodes": [\n    {"id": "a" "type": "tool"}\n  ]\n}';
    expect(message(text)).toBe("Not valid JSON: line 4, column 16 — expected ',' or '}'");
    expect(message('{"a": 1,}')).toBe("Not valid JSON: line 1, column 9 — expected a property name in double quotes");
    expect(message("{ this is not json")).toBe("Not valid JSON: line 1, column 3 — expected a property name in double quotes");
    expect(message('[1, 2] x')).toBe("Not valid JSON: line 1, column 8 — expected the end of the file");
    expect(message('{"a": tru}')).toMatch(/^Not valid JSON: line 1, column 7 — expected a value/);
  });
  it("says when the file ends too soon", () => {
    expect(message('{"nodes": [')).toMatch(/^Not valid JSON: the file ends too soon — expected a value/);
    expect(message('{"name": "a')).toBe("Not valid JSON: the file ends too soon — expected a closing '\"'");
  });
  it("finds nothing wrong in valid JSON", () => {
    expect(jsonSyntaxError('{"a": [1, -2.5e3, true, null, "x\\n\\u00e9"]}')).toBeNull();
    expect(message("{}")).toBe("valid");
  });
});
