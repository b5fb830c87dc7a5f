import { describe, expect, it } from "vitest";
import { groupList, groupSuggestions, missingGroups, replaceGroup } from "./groupNames";

const EXISTING = ["finance", "managers", "marketing"];

describe("group suggestions for the Groups field", () => {
  it("offers every group while nothing is typed", () => {
    expect(groupSuggestions("", EXISTING)).toEqual(EXISTING);
  });

  it("completes the name being typed, keeping the names before it", () => {
    expect(groupSuggestions("ma", EXISTING)).toEqual(["managers", "marketing"]);
    expect(groupSuggestions("finance, MA", EXISTING)).toEqual(["finance, managers", "finance, marketing"]);
    expect(groupSuggestions("finance,", EXISTING)).toEqual(["finance, managers", "finance, marketing"]);
  });

  it("does not offer a group listed already", () => {
    expect(groupSuggestions("managers, ", EXISTING)).toEqual(["managers, finance", "managers, marketing"]);
  });

  it("reads the comma list", () => {
    expect(groupList(" a, ,b ,")).toEqual(["a", "b"]);
  });
});

describe("a group that does not exist", () => {
  it("is found once the existing groups are known", () => {
    expect(missingGroups(["finanse", "managers"], EXISTING)).toEqual(["finanse"]);
    expect(missingGroups(["finanse"], null)).toEqual([]);
  });

  it("is replaced in place by the chosen group, without listing it twice", () => {
    expect(replaceGroup(["finanse", "legal"], "finanse", "finance")).toEqual(["finance", "legal"]);
    expect(replaceGroup(["finanse", "managers"], "finanse", "managers")).toEqual(["managers"]);
  });
});
