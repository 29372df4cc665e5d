/** Unsigned JWTs with the claims Cognito puts in its tokens (Amplify decodes, it never verifies). */
const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

export function makeJwt(payload: Record<string, unknown>): string {
  return `${base64url({ alg: "RS256", kid: "test", typ: "JWT" })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}
