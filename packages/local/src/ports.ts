import { readFileSync } from "node:fs";
import { createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/**
 * Where the OS picks ports for `listen(0)` and for the local end of outgoing connections
 * (Linux: /proc/sys/net/ipv4/ip_local_port_range).
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: the IANA range, which macOS and Windows use.
  }
  return [49152, 65535];
}

/** Ports this process handed out, never handed out twice. */
const handedOut = new Set<number>();

const RANGE_START = 20_000;

/**
 * A port that is free on the loopback interface now, for a server that binds it soon (a child
 * process: DynamoDB Local, cognito-local). It is chosen at random *below* the OS's ephemeral
 * range: a port the OS picked for `listen(0)` would be released before the child binds it, and
 * in that window any outgoing connection (tests make thousands) or another `listen(0)` may be
 * given the same port by the OS. Below the range only another explicit choice can take it; in
 * this process that never happens (each port is handed out once), and across processes (vitest
 * workers, other test runs on the machine) two random picks from thousands of ports rarely meet.
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  const size = ephemeralLow - RANGE_START;
  if (size < 1_000) return osChosenPort();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = RANGE_START + Math.floor(Math.random() * size);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("Could not find a free port");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** Where the ephemeral range leaves no room below it: the OS's choice (released before use). */
function osChosenPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("Could not find a free port"));
      });
    });
  });
}

/** Fails with a clear message when something already listens on the port. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `${what}: port ${port} is already in use. Stop what uses it or choose another port (see README).`
            : `${what}: cannot listen on port ${port}: ${error.message}`,
        ),
      );
    });
    server.listen(port, LOOPBACK, () => server.close(() => resolve()));
  });
}

/** Polls until `probe` resolves true, or fails after `timeoutMs` naming what did not come up. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
