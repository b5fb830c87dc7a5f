export default function NewFlowPage() {
  return <div className="page"><h1>NewFlowPage</h1></div>;
}
