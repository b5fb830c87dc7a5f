// The one API client: typed from the OpenAPI schema (api-schema.d.ts, `npm run gen:api`),
// with the session cookie and the CSRF token, and the API's one error format turned into
// an ApiError that says what is wrong and where.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./api-schema";
import { csrfToken } from "./session";
import { reportSignedIn, reportSignedOut } from "./signedOut";

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: Partial<ApiErrorBody> | undefined, fallback: string) {
    super(
      body?.error?.code === "not_authenticated"
        ? SIGNED_OUT
        : body?.error?.message ?? fallback,
    );
    this.status = status;
    this.code = body?.error?.code ?? "error";
    this.details = body?.error?.details ?? {};
    if (this.message === SIGNED_OUT) reportSignedOut();
  }

  /** Field messages from `details.fields`, keyed by field name. */
  get fields(): Record<string, string[]> {
    const fields = this.details.fields;
    return fields && typeof fields === "object" ? (fields as Record<string, string[]>) : {};
  }
}

export const SIGNED_OUT = "You are signed out (the session ended). Sign in again (the link at the top of the page), then try again.";
export const UNREACHABLE = "Could not reach the server. Check that it is running, then try again.";

/** What a failed response without the API's error body means to a person. */
export function failureMessage(status: number, statusText = ""): string {
  const code = `HTTP ${status}${statusText ? ` ${statusText}` : ""}`;
  if (status === 502 || status === 503 || status === 504) {
    return `The server is not answering (${code}). Check that it is running, then try again.`;
  }
  if (status >= 500) return `The server could not answer (${code}). Try again in a moment; if it keeps failing, the server's log says why.`;
  if (status === 401 || status === 403) return SIGNED_OUT;
  if (status === 404) return `Not found (${code}).`;
  return `The request was refused (${code}).`;
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
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (caught) {
    // fetch itself failed: the server is down or the network is
    if (caught instanceof TypeError) throw new ApiError(0, undefined, UNREACHABLE);
    throw caught;
  }
  const { data, error, response } = result;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      typeof error === "object" ? (error as Partial<ApiErrorBody> | undefined) : undefined,
      failureMessage(response.status, response.statusText),
    );
  }
  reportSignedIn();
  return data as T;
}

/** A plain JSON request for the few calls the generated types do not fit (file uploads). */
export async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, undefined, UNREACHABLE);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // not JSON: a proxy's or the server's own error page
    throw new ApiError(response.status, undefined, failureMessage(response.status, response.statusText));
  }
  if (!response.ok) {
    throw new ApiError(
      response.status,
      typeof parsed === "object" ? (parsed as Partial<ApiErrorBody>) : undefined,
      failureMessage(response.status, response.statusText),
    );
  }
  reportSignedIn();
  return parsed as T;
}
