// The API's specifics about a refused request: which field or node, what, how to fix it.
import { CodeText } from "../../../lib/CodeText";
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
