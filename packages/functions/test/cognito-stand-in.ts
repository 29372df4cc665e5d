/**
 * A stand-in for Cognito's API where a test does not claim to test Cognito (the IAM and OpenAPI
 * tests of DELETE /account; the offline stack's test runs it against cognito-local): it records
 * each call's operation and body and answers what `answer` says — success, or an error type.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface CognitoCall {
  operation: string;
  body: Record<string, unknown>;
}

export async function startCognitoStandIn(answer: (call: CognitoCall) => { error?: string } = () => ({})) {
  const calls: CognitoCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const call = {
        operation: String(request.headers["x-amz-target"] ?? "").replace(/^AWSCognitoIdentityProviderService\./, ""),
        body: JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>,
      };
      calls.push(call);
      const { error } = answer(call);
      response.writeHead(error ? 400 : 200, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(error ? { __type: error, message: error } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
