// Shown above every page once the API says the session ended: a sign-in link that opens in a
// new tab, so whatever is on this page (an unsaved flow, a half-filled form) is still here
// after signing in; the banner goes at the next call that succeeds.
import { useLocation } from "react-router-dom";
import { signInUrl, useSignedOut } from "../lib/signedOut";

export function SignedOutBanner() {
  const signedOut = useSignedOut();
  const location = useLocation();
  if (!signedOut) return null;
  return (
    <div className="signed-out-banner" role="alert" data-testid="signed-out-banner">
      <span>
        <strong>You are signed out</strong> (the session ended). Sign in again, then come back and
        try again: this page keeps what you were doing.
      </span>
      <a
        className="btn primary small"
        href={signInUrl(location.pathname + location.search)}
        target="_blank"
        rel="noopener"
        data-testid="signed-out-sign-in"
      >
        Sign in again ↗
      </a>
    </div>
  );
}
