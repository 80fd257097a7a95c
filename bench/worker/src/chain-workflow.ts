/**
 * The Cloudflare Workflows version of the bench chain: one `step.do` per agent call (default step
 * config, as a user would write it), in sequence. When the last step returns, the instance reports its
 * timings to the run's tally, so the bench learns of completions without polling instance status.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { BenchEnv } from "./env.ts";
import { echoTask } from "./echo-task.ts";
import type { EchoOutput } from "./protocol.ts";

export interface ChainWorkflowParams {
  runId: string;
  steps: number;
}

export class ChainWorkflow extends WorkflowEntrypoint<BenchEnv, ChainWorkflowParams> {
  override async run(event: Readonly<WorkflowEvent<ChainWorkflowParams>>, step: WorkflowStep): Promise<void> {
    const startedAt = Date.now();
    const chainId = event.instanceId;
    const stepTimes: number[] = [];
    for (let n = 1; n <= event.payload.steps; n++) {
      await step.do(`s${n}`, async () => (await this.env.ECHO.run(echoTask(chainId, n))).output as EchoOutput);
      stepTimes.push(Date.now());
    }
    // Outside any step on purpose: a replay may report twice, which the tally ignores, and the bench
    // does not pay for one more durable step.
    const tally = this.env.TALLY.get(this.env.TALLY.idFromName(event.payload.runId));
    await tally.report({ id: chainId, startedAt, stepTimes, completedAt: stepTimes.at(-1) ?? startedAt });
  }
}
