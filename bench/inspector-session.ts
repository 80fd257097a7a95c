/** A Chrome DevTools protocol session with one isolate of workerd's inspector (bench/profile.ts). */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener("message", (message) => {
      const reply = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = reply.id !== undefined ? this.pending.get(reply.id) : undefined;
      if (!waiter) return;
      this.pending.delete(reply.id!);
      if (reply.error) waiter.reject(new Error(reply.error.message));
      else waiter.resolve(reply.result);
    });
  }

  static open(url: string): Promise<InspectorSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener("open", () => resolve(new InspectorSession(socket)), { once: true });
      socket.addEventListener("error", () => reject(new Error(`could not open ${url}`)), { once: true });
    });
  }

  /** Sends a command; rejects when no answer came within `timeoutMs`. */
  send(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the inspector did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
