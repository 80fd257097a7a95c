import { describe, expect, it } from "vitest";
import { NEW_EXECUTION_WATCH_MS, WatchList } from "./watch-list.ts";

describe("WatchList", () => {
  it("asks an admitted execution once it has run for the watch period", () => {
    const list = new WatchList();
    list.admitted("a", 1_000);
    expect(list.due(1_000 + NEW_EXECUTION_WATCH_MS - 1)).toEqual([]);
    expect(list.due(1_000 + NEW_EXECUTION_WATCH_MS)).toEqual(["a"]);
    expect(list.nextDueAt()).toBe(1_000 + NEW_EXECUTION_WATCH_MS);
  });

  it("asks restored executions at once, before newer ones", () => {
    const list = new WatchList();
    list.admitted("new", 5_000);
    list.restored("old", 5_000);
    expect(list.due(5_000)).toEqual(["old"]);
    expect(list.nextDueAt()).toBe(5_000);
  });

  it("hands out at most the number asked for, the rest staying due", () => {
    const list = new WatchList();
    for (const id of ["a", "b", "c"]) list.restored(id, 0);
    expect(list.due(0, 2)).toEqual(["a", "b"]);
    list.remove("a");
    list.remove("b");
    expect(list.due(0, 2)).toEqual(["c"]);
  });

  it("forgets an execution that ended or armed its own watchdog", () => {
    const list = new WatchList();
    list.admitted("a", 0);
    list.admitted("b", 10);
    list.remove("a");
    expect(list.due(Number.MAX_SAFE_INTEGER)).toEqual(["b"]);
    list.remove("b");
    expect(list.nextDueAt()).toBeNull();
    expect(list.size).toBe(0);
  });

  it("postpones a failed ask by a watch period, and never revives a removed one", () => {
    const list = new WatchList();
    list.restored("a", 0);
    list.postpone("a", 100);
    expect(list.due(100)).toEqual([]);
    expect(list.nextDueAt()).toBe(100 + NEW_EXECUTION_WATCH_MS);
    list.remove("a");
    list.postpone("a", 200);
    expect(list.size).toBe(0);
  });
});
