// The one API client: typed from the OpenAPI schema (api-schema.d.ts, `npm run gen:api`),
// with the session cookie and the CSRF token, and the API's one error format turned into
// an ApiError that says what is wrong and where.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./api-schema";
import { csrfToken } from "./session";

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback: string) {
    super(body?.error?.message ?? fallback);
    this.status = status;
    this.code = body?.error?.code ?? "error";
    this.details = body?.error?.details ?? {};
  }

  /** Field messages from `details.fields`, keyed by field name. */
  get fields(): Record<string, string[]> {
    const fields = this.details.fields;
    return fields && typeof fields === "object" ? (fields as Record<string, string[]>) : {};
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method)) {
      request.headers.set("X-CSRFToken", csrfToken());
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an ApiError thrown. */
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      error as Partial<ApiErrorBody> | undefined,
      `${response.status} ${response.statusText}`,
    );
  }
  return data as T;
}

/** A plain JSON request for the few calls the generated types do not fit (file uploads). */
export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    throw new ApiError(response.status, parsed as Partial<ApiErrorBody>, response.statusText);
  }
  return parsed as T;
}
