/**
 * The server side of Cognito's Secure Remote Password sign-in (InitiateAuth USER_SRP_AUTH, then
 * RespondToAuthChallenge PASSWORD_VERIFIER), for the web tests' Cognito stand-in: the deployed
 * SPA signs in this way, and neither cognito-local nor anything else offline speaks it.
 *
 * It is SRP-6a over RFC 5054's 3072-bit group (the same prime as RFC 3526's group 15, which Node
 * ships as "modp15") with g = 2 and SHA-256, in Cognito's variant: x = H(salt | H(poolName |
 * userId | ":" | password)), k = H(N | g), u = H(A | B), a 16-byte HKDF key from S and u with
 * info "Caldera Derived Key", and a password claim HMAC(key, poolName | userId | secret block |
 * timestamp). The server knows only the verifier v = g^x; a wrong password gives another key and
 * a signature that does not verify.
 */
import { createHash, createHmac, getDiffieHellman, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

const N = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);
const g = 2n;

/** Hex of a non-negative integer as a signed big-endian number: even length, "00" before a high bit. */
function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();
const hashOfHex = (hex: string) => sha256(Buffer.from(hex, "hex")).toString("hex");
const toBigInt = (hex: string) => BigInt(`0x${hex}`);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = toBigInt(hashOfHex(padHex(N) + padHex(g)));

export interface SrpAccount {
  /** USER_ID_FOR_SRP: Cognito's internal user name (a UUID when e-mail is the sign-in name). */
  userId: string;
  password: string;
  /** Hex, fixed per account, as Cognito stores it with the verifier. */
  salt: string;
}

interface PendingChallenge {
  account: SrpAccount | undefined;
  A: bigint;
  B: bigint;
  b: bigint;
  v: bigint;
}

export function createSrpServer(poolName: string) {
  const pending = new Map<string, PendingChallenge>();

  function verifier(account: SrpAccount): bigint {
    const inner = sha256(`${poolName}${account.userId}:${account.password}`).toString("hex");
    const x = toBigInt(hashOfHex(padHex(toBigInt(account.salt)) + inner));
    return modPow(g, x, N);
  }

  return {
    newSalt: () => randomBytes(16).toString("hex"),

    /**
     * The PASSWORD_VERIFIER challenge for SRP_A. Without an account (an unknown address) the
     * answer looks the same — a salt and user id fixed per name, a random B — and the proof
     * simply never verifies (the deployed client prevents user existence errors).
     */
    challenge(srpA: string, account: SrpAccount | undefined, username: string): Record<string, string> {
      const A = toBigInt(srpA);
      if (A % N === 0n) throw new Error("SRP_A must not be 0 mod N");
      const simulated = { userId: randomUUID(), salt: createHmac("sha256", "simulated").update(username).digest("hex").slice(0, 32) };
      const { userId, salt } = account ?? simulated;
      const v = account ? verifier(account) : modPow(g, toBigInt(randomBytes(32).toString("hex")), N);
      const b = toBigInt(randomBytes(32).toString("hex"));
      const B = (k * v + modPow(g, b, N)) % N;
      const secretBlock = randomBytes(64).toString("base64");
      pending.set(secretBlock, { account, A, B, b, v });
      return { SALT: salt, SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: userId, USER_ID_FOR_SRP: userId };
    },

    /** The account whose password proof in `responses` verifies, or undefined. */
    verify(responses: Record<string, string>): SrpAccount | undefined {
      const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK ?? "";
      const challenge = pending.get(secretBlock);
      pending.delete(secretBlock);
      if (!challenge?.account || responses.USERNAME !== challenge.account.userId) return undefined;
      const { A, B, b, v, account } = challenge;
      const u = toBigInt(hashOfHex(padHex(A) + padHex(B)));
      const S = modPow((A * modPow(v, u, N)) % N, b, N);
      const prk = createHmac("sha256", Buffer.from(padHex(u), "hex")).update(Buffer.from(padHex(S), "hex")).digest();
      const key = createHmac("sha256", prk).update("Caldera Derived Key\u0001").digest().subarray(0, 16);
      const expected = createHmac("sha256", key)
        .update(Buffer.concat([Buffer.from(poolName), Buffer.from(account.userId), Buffer.from(secretBlock, "base64"), Buffer.from(responses.TIMESTAMP ?? "")]))
        .digest();
      const signature = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE ?? "", "base64");
      // Amplify's TIMESTAMP format: "Tue Dec 1 06:35:03 UTC 2026".
      const timestampOk = /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/.test(responses.TIMESTAMP ?? "");
      return timestampOk && signature.length === expected.length && timingSafeEqual(signature, expected) ? account : undefined;
    },
  };
}
