export default function BatchPage() {
  return <div className="page"><h1>BatchPage</h1></div>;
}
