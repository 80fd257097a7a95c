/** Loopback ports for local servers: checking one before a server starts on it, or asking the kernel for one. */
import { createServer } from "node:net";

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once("error", () => resolvePort(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

/** A loopback port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("the kernel gave no port"))));
    });
  });
}
