/**
 * A Durable Object has one alarm; a control shard holds three roles that each keep their own (the
 * dispatcher's sweep, the history writer's backstop, the webhook outbox's next delivery). Each role says
 * by when it wants to be woken, the object's alarm is set to the earliest wish, and when it fires every
 * role looks at what is due and wishes again. Waking a role early is harmless (it finds nothing due and
 * wishes again), so wishes only ever move the alarm earlier.
 */

/** What a role holds to ask for its wake-up. */
export interface RoleAlarm {
  /** Wake this role no later than `at` (epoch ms). */
  wakeBy(at: number): void;
}

export class SharedAlarm {
  private setFor: number | null = null;

  constructor(private readonly ctx: DurableObjectState) {}

  readonly role: RoleAlarm = {
    wakeBy: (at) => {
      const now = Date.now();
      if (this.setFor !== null && this.setFor > now && this.setFor <= at) return;
      this.setFor = Math.max(at, now);
      this.ctx.waitUntil(this.ctx.storage.setAlarm(this.setFor));
    },
  };

  /** The alarm fired: every role is about to look at what is due and ask again. */
  fired(): void {
    this.setFor = null;
  }
}
