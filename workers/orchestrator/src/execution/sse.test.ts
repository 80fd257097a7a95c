/** Proves SSE framing and the reading of Last-Event-ID. */
import { describe, expect, it } from "vitest";
import { lastSeenSeq, sseComment, sseFrame } from "./sse.ts";

describe("sse", () => {
  it("frames an event with id, event and one data line", () => {
    const text = new TextDecoder().decode(sseFrame({ seq: 7, type: "step.log", executionId: "ex_1", at: 5, data: { message: "two\nlines" } }));
    expect(text).toBe('id: 7\nevent: step.log\ndata: {"seq":7,"type":"step.log","executionId":"ex_1","at":5,"data":{"message":"two\\nlines"}}\n\n');
    expect(new TextDecoder().decode(sseComment("keep-alive"))).toBe(": keep-alive\n\n");
  });

  it("reads the last seen sequence from the header first, then ?after=, else 0", () => {
    expect(lastSeenSeq("12", "3")).toBe(12);
    expect(lastSeenSeq(null, "3")).toBe(3);
    expect(lastSeenSeq("abc", undefined)).toBe(0);
    expect(lastSeenSeq("-1", "1e9")).toBe(0);
  });
});
