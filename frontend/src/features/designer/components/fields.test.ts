// The inspector's map of names to expressions (an approval's context, a value's fields).
import { describe, expect, it } from "vitest";
import { stackedMap } from "./fields";

describe("stackedMap", () => {
  it("puts each expression under its name when a name would leave it too narrow", () => {
    expect(stackedMap(["input", "validate_email", "process_payment"])).toBe(true);
  });

  it("keeps short names beside their expressions", () => {
    expect(stackedMap(["email", "lookup_user"])).toBe(false);
    expect(stackedMap([])).toBe(false);
  });
});
