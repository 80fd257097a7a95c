/**
 * A second Worker for the RPC error tests, calling `OrchestratorService` over a real service binding
 * without `batonService`: what a caller that only logs `error.message` sees, and what `BatonError.from`
 * (shared/rpc.ts) rebuilds from it. `POST /call` with `{ method, args }` answers
 * `{ ok: true, result }` or `{ ok: false, name, message, rebuilt }`.
 */
import { BatonError, type OrchestratorRpc } from "#shared/rpc.ts";

interface RpcCallerEnv {
  BATON: OrchestratorRpc;
}

export default {
  async fetch(request, env) {
    const { method, args } = (await request.json()) as { method: keyof OrchestratorRpc; args: unknown[] };
    // An RPC stub answers any property with another stub, so the call goes through the binding itself.
    const baton = env.BATON as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    try {
      return Response.json({ ok: true, result: await baton[method]!(...args) });
    } catch (error) {
      const rebuilt = BatonError.from(error);
      return Response.json({
        ok: false,
        name: error instanceof Error ? error.name : typeof error,
        message: error instanceof Error ? error.message : String(error),
        rebuilt: rebuilt ? { ...rebuilt.toBody().error, status: rebuilt.status, isBatonError: rebuilt instanceof BatonError } : null,
      });
    }
  },
} satisfies ExportedHandler<RpcCallerEnv>;
