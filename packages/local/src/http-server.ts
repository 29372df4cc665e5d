/** Small helpers shared by the local node:http servers (Cognito proxy, API gateway). */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "./ports.js";

/** Listens on the loopback interface only; port 0 lets the OS choose. Resolves to the port. */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and drops the open (keep-alive) ones. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export class BodyTooLargeError extends Error {}

export function readBody(request: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        request.removeAllListeners("data");
        request.resume();
        reject(new BodyTooLargeError(`Body larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
