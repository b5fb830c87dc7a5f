// The flows list's state: the query (search, owner, page) and the page of flows it answers.
import { useCallback, useEffect, useState } from "react";
import { rememberLatestVersions } from "../../lib/latestVersion";
import { listFlows, type FlowPage, type FlowQuery } from "./api";

export interface FlowsState {
  page: FlowPage | null;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

export function useFlows(query: FlowQuery): FlowsState {
  const [page, setPage] = useState<FlowPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const { search, owner, limit, offset } = query;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listFlows({ search, owner, limit, offset }, controller.signal)
      .then((result) => {
        setPage(result);
        setError(null);
        // The designer opened from here fetches each flow's latest version beside the flow.
        rememberLatestVersions(result.results.map((flow) => [flow.id, flow.latest_version?.number] as const));
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [search, owner, limit, offset, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { page, loading, error, reload };
}
