// The designer's shortcuts as a person presses them: keydown events on the window.
import { cleanup, fireEvent, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { designer, useDesigner } from "../store";
import { useHotkeys } from "./useHotkeys";

let shown = 0;
const actions = { save: () => undefined, pastePosition: () => undefined, deleteSelection: () => undefined, selectAll: () => undefined, showShortcuts: () => void (shown += 1) };

afterEach(cleanup); // each test's listeners go with it

beforeEach(() => {
  shown = 0;
  designer.load({
    flowId: 1, flowName: "Onboard", canEdit: true, version: 1,
    ir: { name: "Onboard", nodes: [{ id: "done", type: "output", value: "1" }] },
  });
});

describe("Escape", () => {
  it("closes the flow settings", () => {
    renderHook(() => useHotkeys(actions));
    designer.setSettingsOpen(true);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(useDesigner.getState().settingsOpen).toBe(false);
  });

  it("clears the selection", () => {
    renderHook(() => useHotkeys(actions));
    designer.select(["done"]);
    fireEvent.keyDown(window, { key: "Escape" });
    expect(useDesigner.getState().selection).toEqual([]);
  });

  it("leaves the panel open while a field of it is being typed in", () => {
    renderHook(() => useHotkeys(actions));
    designer.setSettingsOpen(true);
    const field = document.body.appendChild(document.createElement("input"));
    fireEvent.keyDown(field, { key: "Escape" });
    expect(useDesigner.getState().settingsOpen).toBe(true);
    field.remove();
  });
});

describe("?", () => {
  it("shows the shortcuts, but not while typing (a `?` in an expression is text)", () => {
    renderHook(() => useHotkeys(actions));
    fireEvent.keyDown(window, { key: "?" });
    expect(shown).toBe(1);
    const field = document.body.appendChild(document.createElement("textarea"));
    fireEvent.keyDown(field, { key: "?" });
    expect(shown).toBe(1);
    field.remove();
  });
});
