// The router: one shell around every page. Each page is a feature's entry component. A data
// router, so a page can block leaving (the designer's unsaved-changes guard, Back included).
import { lazy, Suspense } from "react";
import { createBrowserRouter, createRoutesFromElements, Navigate, Route, RouterProvider, type LoaderFunctionArgs } from "react-router-dom";
import { DesignerSkeleton } from "../features/designer/components/DesignerSkeleton";
import { prefetchDesigner } from "../features/designer/prefetch";
import { NotFound } from "../lib/NotFound";
import { Shell } from "./Shell";

const FlowsPage = lazy(() => import("../features/flows/FlowsPage"));
const NewFlowPage = lazy(() => import("../features/plan/NewFlowPage"));
const DesignerPage = lazy(() => import("../features/designer/DesignerPage"));
const RunsPage = lazy(() => import("../features/runs/RunsPage"));
const RunPage = lazy(() => import("../features/runs/RunPage"));
const BatchPage = lazy(() => import("../features/runs/BatchPage"));
const InboxPage = lazy(() => import("../features/inbox/InboxPage"));
const StepPage = lazy(() => import("../features/inbox/StepPage"));
const ToolsPage = lazy(() => import("../features/tools/ToolsPage"));

/** Starts the designer's fetches beside the loading of its code; never waits for them. */
function designerLoader({ params }: LoaderFunctionArgs): null {
  prefetchDesigner(params.flowId, params.version);
  return null;
}

const router = createBrowserRouter(
  createRoutesFromElements(
    <Route element={<Shell />}>
      <Route index element={<Navigate to="/flows" replace />} />
      <Route path="flows" element={<Page><FlowsPage /></Page>} />
      <Route path="flows/new" element={<Page><NewFlowPage /></Page>} />
      <Route path="flows/draft" element={<Page fallback={<DesignerSkeleton />}><DesignerPage draft /></Page>} />
      <Route path="flows/:flowId" loader={designerLoader} element={<Page fallback={<DesignerSkeleton />}><DesignerPage /></Page>} />
      <Route path="flows/:flowId/v/:version" loader={designerLoader} element={<Page fallback={<DesignerSkeleton />}><DesignerPage /></Page>} />
      <Route path="runs" element={<Page><RunsPage /></Page>} />
      <Route path="runs/:runId" element={<Page><RunPage /></Page>} />
      <Route path="batches/:batchId" element={<Page><BatchPage /></Page>} />
      <Route path="inbox" element={<Page><InboxPage /></Page>} />
      <Route path="inbox/:runId/:nodeId" element={<Page><StepPage /></Page>} />
      <Route path="tools" element={<Page><ToolsPage /></Page>} />
      <Route path="*" element={<NotFound title="Page not found" message="There is no page at this address." back={{ to: "/flows", label: "Flows" }} />} />
    </Route>,
  ),
);

export function App() {
  return <RouterProvider router={router} />;
}

/** A page, with what shows while its code loads (the designer: its own frame). */
function Page({ children, fallback }: { children: React.ReactNode; fallback?: React.ReactNode }) {
  return <Suspense fallback={fallback ?? <div className="page-loading">Loading…</div>}>{children}</Suspense>;
}
