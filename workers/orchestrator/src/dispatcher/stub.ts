/** The dispatcher every execution and the API talk to. One object today; see docs/dispatcher.md for sharding. */
export const DISPATCHER_NAME = "global";

export function dispatcherStub(env: Env) {
  return env.DISPATCHER.get(env.DISPATCHER.idFromName(DISPATCHER_NAME));
}
