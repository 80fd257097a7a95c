/**
 * Proves that an execution stored by the first storage layout keeps working after the upgrade: the
 * fixture is the SQLite content of a real execution written by the old engine (a completed step, a
 * completed three-item forEach, an approval waiting), loaded into a fresh object as it was. The new
 * engine converts it on load, shows the same state, and runs it to the end when the approval comes.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiJson } from "../support/api.ts";
import { waitFor } from "../support/executions.ts";
import legacy from "./fixtures/legacy-execution.json";

type Row = Record<string, string | number>;

describe("an execution stored by the old layout", () => {
  it("loads, shows where it stood, and goes on to the end", async () => {
    const stub = env.EXECUTIONS.get(env.EXECUTIONS.idFromName(legacy.id));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE steps (step_id TEXT NOT NULL, item INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (step_id, item));
        CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, at INTEGER NOT NULL, data TEXT NOT NULL);`);
      for (const row of legacy.meta as Row[]) sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", row.key!, row.value!);
      for (const row of legacy.steps as Row[]) sql.exec("INSERT INTO steps (step_id, item, record) VALUES (?, ?, ?)", row.step_id!, row.item!, row.record!);
      for (const row of legacy.events as Row[]) sql.exec("INSERT INTO events (seq, type, at, data) VALUES (?, ?, ?, ?)", row.seq!, row.type!, row.at!, row.data!);
    });
    // The instance that was running when the tables were written saw an empty object: start a new one.
    await evictDurableObject(stub);

    const before = await apiJson<any>(`/v1/executions/${legacy.id}`);
    expect(before.status).toBe("waiting");
    expect(before.lastEventSeq).toBe(legacy.events.length);
    expect(before.steps.map((s: { status: string }) => s.status)).toEqual(["completed", "completed", "waiting", "pending"]);
    expect(before.steps[0].output).toMatchObject({ value: "one" });
    expect(before.steps[1].items).toMatchObject({ total: 3, completed: 3 });
    expect(before.steps[1].output.map((o: { value: unknown }) => o.value)).toEqual([1, 2, 3]);
    expect(before.steps[2].input).toEqual({ message: "Go on after one?" });

    await apiJson(`/v1/executions/${legacy.id}/steps/gate/approve`, { body: { comment: "after the upgrade" } });
    const done = await waitFor(legacy.id);
    expect(done.status).toBe("completed");
    expect((done.steps[3]!.output as { value: { value: number }[] }).value.map((o) => o.value)).toEqual([1, 2, 3]);

    const tables = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .toArray()
        .map((r) => r.name)
        // The runtime's own table is not the execution's.
        .filter((name) => !name.startsWith("_cf_")),
    );
    expect(tables).toEqual(["log", "meta", "snapshot"]);
  });
});
