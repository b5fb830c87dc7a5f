// The API's, the validator's and the planner's messages mark names with backticks
// (Node `a`, field `type`): shown as inline code, the rest as plain text.
import { codeSpans } from "./codeSpans";

export function CodeText({ text }: { text: string }) {
  return (
    <>
      {codeSpans(text).map((span, index) =>
        span.code ? <code key={index} className="inline-code">{span.text}</code> : span.text,
      )}
    </>
  );
}
