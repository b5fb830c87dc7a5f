// A value's text in an approval's context: wrapped at word boundaries, a long unbroken token
// (a URL, an id) kept whole on one line, cut with an ellipsis when wider than its box, the
// full value on hover, and selected whole by a click, to copy it.
import { splitLongTokens } from "./format";

export function WrappedText({ text }: { text: string }) {
  const parts = splitLongTokens(text);
  if (parts.length === 1 && !parts[0].long) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) =>
        part.long ? (
          <span key={i} className="long-token" title={part.text} data-testid="long-token">{part.text}</span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
