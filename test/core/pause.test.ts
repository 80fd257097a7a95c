/** Probe */
import { expect, it } from "vitest";
import { World } from "./world.ts";
it("pause", () => {
  const w = new World({ id: "t", name: "t", steps: [
    { id: "one", type: "agent", agent: "echo", input: {} },
    { id: "two", type: "agent", agent: "echo", needs: ["one"], input: {} },
  ] } as never);
  w.admit();
  expect(w.feed({ type: "pause", by: "x", reason: null })).toBeUndefined();
  w.succeed();
  console.log(w.eventTypes(), w.statuses());
});
