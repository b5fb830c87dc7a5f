export default function ToolsPage() {
  return <div className="page"><h1>ToolsPage</h1></div>;
}
