import { describe, expect, it } from "vitest";
import { ApiError, failureMessage, SIGNED_OUT, unwrap } from "./api";
import { isSignedOut, reportSignedIn, signInUrl } from "./signedOut";

describe("failure messages", () => {
  it("say what a server error means and what to do", () => {
    expect(failureMessage(500, "Internal Server Error")).toBe(
      "The server could not answer (HTTP 500 Internal Server Error). Try again in a moment; if it keeps failing, the server's log says why.",
    );
    expect(failureMessage(503)).toMatch(/^The server is not answering \(HTTP 503\)/);
    expect(failureMessage(403)).toBe(SIGNED_OUT);
    expect(failureMessage(418, "I'm a teapot")).toBe("The request was refused (HTTP 418 I'm a teapot).");
  });

  it("prefer the API's own message, except for a session that ended", () => {
    const refused = new ApiError(400, { error: { code: "invalid", message: "name is required" } }, "fallback");
    expect(refused.message).toBe("name is required");
    expect(refused.code).toBe("invalid");
    const signedOut = new ApiError(403, { error: { code: "not_authenticated", message: "Authentication credentials were not provided." } }, "x");
    expect(signedOut.message).toBe(SIGNED_OUT);
    expect(new ApiError(500, undefined, "fallback").message).toBe("fallback");
  });

  it("tell the shell the session ended, until a call succeeds again", async () => {
    reportSignedIn();
    new ApiError(400, { error: { code: "invalid", message: "bad" } }, "x");
    expect(isSignedOut()).toBe(false);
    new ApiError(401, { error: { code: "not_authenticated", message: "no" } }, "x");
    expect(isSignedOut()).toBe(true);
    await unwrap(Promise.resolve({ data: {}, response: new Response("{}", { status: 200 }) }));
    expect(isSignedOut()).toBe(false);
    expect(signInUrl("/flows/3?x=1")).toBe("/login/?next=%2Fflows%2F3%3Fx%3D1");
  });
});
