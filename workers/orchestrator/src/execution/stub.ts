/** The one way to reach an execution's Durable Object: the object is named by the execution id. */
import type { ExecutionDO } from "./execution-do.ts";

type Promisified<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/**
 * The RPC face of an ExecutionDO. The generated stub types turn any shape holding `unknown` (step inputs
 * and outputs are arbitrary JSON) into `never`, so the stub is typed from the class's own signatures.
 */
export type ExecutionRpc = Pick<
  Promisified<ExecutionDO>,
  | "initialize"
  | "admit"
  | "watch"
  | "lockGranted"
  | "setPriority"
  | "getState"
  | "stream"
  | "events"
  | "cancel"
  | "pause"
  | "resume"
  | "retry"
  | "resolveApproval"
  | "childSettled"
  | "commitHistory"
  | "forked"
>;

export function executionStub(env: Env, id: string): ExecutionRpc {
  return env.EXECUTIONS.get(env.EXECUTIONS.idFromName(id)) as unknown as ExecutionRpc;
}
