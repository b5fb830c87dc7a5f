// Splits a message into its plain text and its `code` spans (the backticked names).
export interface Span {
  text: string;
  code: boolean;
}

export function codeSpans(text: string): Span[] {
  return text
    .split(/(`[^`\n]+`)/g)
    .filter((part) => part !== "")
    .map((part) =>
      /^`[^`\n]+`$/.test(part) ? { text: part.slice(1, -1), code: true } : { text: part, code: false },
    );
}
