// The API's specifics about a refused request: which field or node, what, how to fix it.
import type { ProblemLine } from "../documents";

export function ProblemList({ problems }: { problems: ProblemLine[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-list" data-testid="problem-list">
      {problems.map((problem, index) => (
        <li key={index}>
          {problem.where && <code className="problem-where">{problem.where}</code>}
          <span><CodeText text={problem.message} /></span>
          {problem.hint && <span className="problem-hint"><CodeText text={problem.hint} /></span>}
        </li>
      ))}
    </ul>
  );
}

/** The API's messages mark names with backticks (Node `a`, field `type`): shown as code. */
export function CodeText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/g).map((part, index) =>
        /^`[^`]+`$/.test(part) ? <code key={index} className="inline-code">{part.slice(1, -1)}</code> : part,
      )}
    </>
  );
}
