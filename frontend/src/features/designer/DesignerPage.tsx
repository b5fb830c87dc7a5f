export default function DesignerPage() {
  return <div className="page"><h1>DesignerPage</h1></div>;
}
