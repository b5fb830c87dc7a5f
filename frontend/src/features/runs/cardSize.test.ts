import { describe, expect, it } from "vitest";
import { CARD_HEIGHT, CARD_WIDTHS, cardSize, cardSizeFor, MAP_CARD_HEIGHT, TITLE_CHROME, wrappedLines } from "./cardSize";

/** A measure of 8 pixels a character. */
const eight = (text: string) => text.length * 8;
/** The characters a line of a card `width` wide holds at 8 pixels each. */
const fits = (width: number) => Math.floor((width - TITLE_CHROME) / 8);
const words = (count: number) => Array.from({ length: count }, () => "abcdefgh").join(" ");

describe("wrappedLines", () => {
  it("wraps words as the browser does, a word too long on a line of its own", () => {
    expect(wrappedLines("one two three", 110, eight)).toBe(1);
    expect(wrappedLines("one two three", 60, eight)).toBe(2);
    expect(wrappedLines("one two three", 30, eight)).toBe(3);
    expect(wrappedLines("averyveryverylongword", 30, eight)).toBe(1);
  });
});

describe("cardSizeFor", () => {
  it("keeps a short title on one line of the narrowest card", () => {
    expect(cardSizeFor("Approve the refund", false, eight)).toEqual({ width: CARD_WIDTHS[0], height: CARD_HEIGHT, lines: 1 });
  });

  it("gives a longer title a second line in the same height, so a run's rows keep their place", () => {
    const title = "Approve the refund over 500";
    expect(title.length).toBeGreaterThan(fits(CARD_WIDTHS[0]));
    expect(cardSizeFor(title, false, eight)).toEqual({ width: CARD_WIDTHS[0], height: CARD_HEIGHT, lines: 2 });
    expect(cardSizeFor(title, true, eight)).toEqual({ width: CARD_WIDTHS[0], height: MAP_CARD_HEIGHT, lines: 2 });
  });

  it("widens the card rather than take a third line, and cuts only past two at its widest", () => {
    // three lines at the narrowest width, two at a wider one
    const three = words(5);
    expect(wrappedLines(three, CARD_WIDTHS[0] - TITLE_CHROME, eight)).toBe(3);
    const wider = cardSizeFor(three, false, eight);
    expect(wider.lines).toBe(2);
    expect(wider.width).toBeGreaterThan(CARD_WIDTHS[0]);
    expect(wrappedLines(three, wider.width - TITLE_CHROME, eight)).toBe(2);
    expect(cardSizeFor(words(30), false, eight)).toEqual({ width: CARD_WIDTHS[CARD_WIDTHS.length - 1], height: CARD_HEIGHT, lines: 2 });
  });
});

describe("cardSize", () => {
  it("sizes a node's card by its title, or its id when it has none", () => {
    expect(cardSize({ id: "notify", type: "tool", tool: "send_email" })).toEqual({ width: CARD_WIDTHS[0], height: CARD_HEIGHT, lines: 1 });
    expect(cardSize({ id: "greet", type: "tool", tool: "send_email", title: "Send the welcome email to the new user" }).lines).toBe(2);
  });
});
