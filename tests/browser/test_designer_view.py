"""What the designer shows when a flow opens and while it is edited: a short flow at a
readable zoom and wholly in view, a long one folded into rows that still fit; blocks
clicked in the palette added after the selected step and connected to it; the refine panel
beside the graph, not over its cards."""

from __future__ import annotations

from typing import Any

from tests.browser.test_designer import make, node, open_designer


def chain(count: int) -> dict[str, Any]:
    """A flow of `count` steps, each after the one before, with no saved positions."""
    nodes: list[dict[str, Any]] = []
    for i in range(1, count + 1):
        step: dict[str, Any] = {
            "id": f"step_{i}",
            "type": "tool",
            "tool": "validate_email",
            "inputs": {"email": "input.email"},
        }
        if i > 1:
            step["after"] = [f"step_{i - 1}"]
        nodes.append(step)
    return {
        "name": f"A chain of {count}",
        "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
        "nodes": nodes,
    }


def zoom(page: Any) -> float:
    """The canvas's zoom, read from React Flow's viewport transform."""
    return float(
        page.evaluate(
            """() => new DOMMatrix(getComputedStyle(
                document.querySelector('.designer-canvas .react-flow__viewport')).transform).a"""
        )
    )


# The ids of the cards not wholly inside the canvas (nor under a panel laid over it).
CARDS_OUT_OF_VIEW = """() => {
    const canvas = document.querySelector('.designer-canvas').getBoundingClientRect();
    const over = [...document.querySelectorAll('.designer-centre .refine-panel')]
        .map((panel) => panel.getBoundingClientRect());
    return [...document.querySelectorAll('.designer-canvas .react-flow__node')].filter((card) => {
        const box = card.getBoundingClientRect();
        const inside = box.left >= canvas.left - 0.5 && box.right <= canvas.right + 0.5
            && box.top >= canvas.top - 0.5 && box.bottom <= canvas.bottom + 0.5;
        const hidden = over.some((panel) => box.left < panel.right && panel.left < box.right
            && box.top < panel.bottom && panel.top < box.bottom);
        return !inside || hidden;
    }).map((card) => card.dataset.id);
}"""


def settled(page: Any) -> None:
    """Wait until the view stops moving (it eases into the layout engine's places)."""
    page.wait_for_function(
        """() => new Promise((done) => {
            const read = () => getComputedStyle(
                document.querySelector('.designer-canvas .react-flow__viewport')).transform;
            const first = read();
            setTimeout(() => done(read() === first), 250);
        })""",
        polling=300,
    )


def test_a_short_flow_opens_wholly_in_view_at_a_readable_zoom(
    page, live_server, staff_user, screenshot
):
    # Given flows of 2 and 5 steps never laid out, opened at 1400x900
    for count in (2, 5):
        flow = make(staff_user, chain(count))
        open_designer(page, live_server, flow)
        settled(page)

        # Then every card is in view at (nearly) its own size: five steps fold into two rows
        assert page.evaluate(CARDS_OUT_OF_VIEW) == []
        assert zoom(page) >= 0.9, f"{count} steps open at zoom {zoom(page)}"
        screenshot(page, f"{count}-steps")
    first, fourth = node(page, "step_1").bounding_box(), node(page, "step_4").bounding_box()
    assert fourth["y"] > first["y"] + first["height"]


def test_a_long_flow_opens_wholly_in_view_down_to_half_size(
    page, live_server, staff_user, screenshot
):
    # Given flows of 12 and 40 steps never laid out
    for count, least in ((12, 0.9), (40, 0.5)):
        flow = make(staff_user, chain(count))
        open_designer(page, live_server, flow)
        settled(page)

        # Then all of it is in view, its cards no smaller than half their size
        assert page.evaluate(CARDS_OUT_OF_VIEW) == []
        assert zoom(page) >= least, f"{count} steps open at zoom {zoom(page)}"
        screenshot(page, f"{count}-steps")
