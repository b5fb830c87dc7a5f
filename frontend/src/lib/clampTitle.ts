// A card's title cut to the lines its header holds: on a word boundary, with an ellipsis,
// so a long title reads "Send the weekly report to…" and never "Send the weekly rep…" (a
// line clamp cuts wherever the last line ends). The card's tooltip keeps the whole title.

export const ELLIPSIS = "…";

/**
 * `text` as it shows in at most `lines` lines of `room` pixels, words wrapped as the browser
 * wraps them (`measure` gives a string's width): the text itself when it fits, else its
 * first words that fit with an ellipsis after the last whole one. Only a single word wider
 * than the last line is cut inside it.
 */
export function clampToLines(text: string, room: number, lines: number, measure: (text: string) => number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const kept: string[] = [];
  let line = "";
  let lineCount = 1;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i];
    const longer = line ? `${line} ${word}` : word;
    const last = lineCount === lines;
    const rest = i < words.length - 1;
    // On the last line a word stays only with room for the ellipsis after it (if more follow).
    const fits = measure(last && rest ? `${longer}${ELLIPSIS}` : longer) <= room;
    if (fits || !line) {
      if (!fits && last) return cutWord(kept, word, room, measure);
      line = longer;
      kept.push(word);
      continue;
    }
    if (last) return `${kept.join(" ")}${ELLIPSIS}`;
    lineCount += 1;
    line = word;
    kept.push(word);
    if (lineCount === lines && rest && measure(`${word}${ELLIPSIS}`) > room) return cutWord(kept.slice(0, -1), word, room, measure);
  }
  return text;
}

/** `kept` words, then as much of `word` as fits `room` with the ellipsis after it. */
function cutWord(kept: readonly string[], word: string, room: number, measure: (text: string) => number): string {
  let end = word.length;
  while (end > 1 && measure(`${word.slice(0, end)}${ELLIPSIS}`) > room) end -= 1;
  return [...kept, `${word.slice(0, end)}${ELLIPSIS}`].join(" ");
}
