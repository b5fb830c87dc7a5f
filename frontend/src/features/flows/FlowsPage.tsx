export default function FlowsPage() {
  return <div className="page"><h1>FlowsPage</h1></div>;
}
