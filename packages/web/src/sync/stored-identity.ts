/**
 * Who was signed in on this browser, read from the tokens Amplify keeps in localStorage, without
 * any request. Offline, an expired access token cannot be refreshed: Amplify's `fetchAuthSession`
 * then throws a NetworkError and keeps the tokens (it clears them only on an authentication
 * failure). The app is still signed in — the replica of this user can be opened and shown, and
 * writes queued — until the network says otherwise; the session view uses this to tell "offline"
 * from "signed out".
 */
export interface StoredIdentity {
  /** The token's `sub`: which replica and write queue are this user's. */
  userId: string;
  email: string;
}

const PREFIX = "CognitoIdentityServiceProvider";

function payloadOf(jwt: string): Record<string, unknown> | undefined {
  try {
    const part = jwt.split(".")[1] ?? "";
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Amplify v6's key layout (`<prefix>.<clientId>.LastAuthUser`, `<prefix>.<clientId>.<user>.idToken`). */
export function storedIdentity(userPoolClientId: string, storage: Storage = localStorage): StoredIdentity | undefined {
  const base = `${PREFIX}.${userPoolClientId}`;
  const username = storage.getItem(`${base}.LastAuthUser`);
  if (!username) return undefined;
  // Without a refresh token the session cannot outlive the access token: that is signed out.
  if (!storage.getItem(`${base}.${username}.refreshToken`)) return undefined;
  const id = payloadOf(storage.getItem(`${base}.${username}.idToken`) ?? "");
  if (typeof id?.sub !== "string") return undefined;
  return { userId: id.sub, email: typeof id.email === "string" ? id.email : "" };
}

/** True for the error Amplify throws when a refresh found no network (and kept the tokens). */
export function isOfflineAuthError(error: unknown): boolean {
  return error instanceof Error && (error.name === "NetworkError" || error instanceof TypeError);
}
