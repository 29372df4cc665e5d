import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, LOOPBACK } from "./ports.js";

const [ephemeralLow, ephemeralHigh] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number) as [
  number,
  number,
];

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, LOOPBACK, () => resolve(server));
  });
}

describe("freePort", () => {
  it("hands out ports outside the OS's ephemeral range, which listen(0) and outgoing connections use", async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (const port of ports) expect(port < ephemeralLow || port > ephemeralHigh, `port ${port}`).toBe(true);
    // What the OS hands out itself is in that range: the reason freePort stays out of it.
    const osChosen = await listen(0);
    const { port } = osChosen.address() as { port: number };
    osChosen.close();
    expect(port).toBeGreaterThanOrEqual(ephemeralLow);
  });

  it("never hands out the same port twice in a process, and each can be listened on", async () => {
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    const servers = await Promise.all(ports.slice(0, 20).map(listen));
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  });

});
