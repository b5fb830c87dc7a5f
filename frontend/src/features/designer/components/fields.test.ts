// The inspector's map of names to expressions (an approval's context, a value's fields).
import { describe, expect, it } from "vitest";
import { isStandIn, stackedMap } from "./fields";

describe("stackedMap", () => {
  it("puts each expression under its name when a name would leave it too narrow", () => {
    expect(stackedMap(["input", "validate_email", "process_payment"])).toBe(true);
  });

  it("keeps short names beside their expressions", () => {
    expect(stackedMap(["email", "lookup_user"])).toBe(false);
    expect(stackedMap([])).toBe(false);
  });
});

describe("isStandIn", () => {
  it("is a new step's literal that says nothing yet", () => {
    for (const value of ["true", "null", "[]", " {} ", "false"]) expect(isStandIn(value)).toBe(true);
  });

  it("is not a value the person wrote", () => {
    for (const value of ["check.valid", "input", "1", '"true"', "true && x"]) expect(isStandIn(value)).toBe(false);
  });
});
