/** Checks that a loopback port is free before a server is started on it, to fail with a useful message. */
import { createServer } from "node:net";

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once("error", () => resolvePort(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}
