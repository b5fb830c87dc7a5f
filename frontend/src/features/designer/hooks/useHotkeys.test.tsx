// The designer's shortcuts as a person presses them: keydown events on the window.
import { fireEvent, renderHook } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { designer, useDesigner } from "../store";
import { useHotkeys } from "./useHotkeys";

const actions = { save: () => undefined, pastePosition: () => undefined, deleteSelection: () => undefined, selectAll: () => undefined };

beforeEach(() => {
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
