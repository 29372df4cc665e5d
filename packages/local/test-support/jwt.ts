/** Taking JWTs apart and forging them, for the tests of the gateway's JWT authorizer. */
import { createSign, type KeyObject } from "node:crypto";

/** base64url of a value's JSON: one part of a JWT. */
export function encodeJwtPart(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The header (0) or the claims (1) of a JWT, unverified. */
export function decodeJwtPart(jwt: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[index]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A JWT with `claims`, signed RS256 with `key` and naming `kid`. */
export function signJwt(claims: Record<string, unknown>, key: KeyObject, kid = "CognitoLocal"): string {
  const head = `${encodeJwtPart({ alg: "RS256", typ: "JWT", kid })}.${encodeJwtPart(claims)}`;
  return `${head}.${createSign("RSA-SHA256").update(head).sign(key).toString("base64url")}`;
}
