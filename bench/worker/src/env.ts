/**
 * The bench Worker's bindings. Written here rather than generated: `wrangler types` can only call the
 * echo binding a `Fetcher`, while the agent contract types its `run`; and a generated global `Env` would
 * merge with the orchestrator's in the project's one TypeScript program.
 */
import type { AgentService } from "#shared/agent.ts";
import type { OrchestratorRpc } from "#shared/rpc.ts";
import type { ChainWorkflowParams } from "./chain-workflow.ts";
import type { CostProbeDO, ProbeTargetDO } from "./cost-probe-do.ts";
import type { FloorChainDO } from "./floor-chain-do.ts";
import type { TallyDO } from "./tally-do.ts";

export interface BenchEnv {
  ECHO: AgentService;
  /** The orchestrator, for the requests the bench Worker passes on. */
  BATON: Fetcher;
  /** The orchestrator's `OrchestratorService` entrypoint, for starting executions from inside the runtime. */
  BATON_RPC: OrchestratorRpc;
  CHAIN: Workflow<ChainWorkflowParams>;
  FLOOR: DurableObjectNamespace<FloorChainDO>;
  TALLY: DurableObjectNamespace<TallyDO>;
  COST_PROBE: DurableObjectNamespace<CostProbeDO>;
  PROBE_TARGET: DurableObjectNamespace<ProbeTargetDO>;
  /** Baton's execution objects (the orchestrator's class), asked for the rows they wrote. */
  EXECUTIONS: DurableObjectNamespace;
  /** A database of the bench's own, for the cost of one D1 query. */
  PROBE_DB: D1Database;
}
