export default function RunPage() {
  return <div className="page"><h1>RunPage</h1></div>;
}
