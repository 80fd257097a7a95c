/**
 * `GET /v1/events` over several control shards (each holds its executions' part of the feed): one SSE stream that merges the shards' streams as their
 * frames arrive. Each shard numbers its own events, so with more than one shard a frame's `id` is the
 * position reached in every shard, dotted (`12.0.7.3`), and a client that reconnects with it as
 * `Last-Event-ID` resumes each shard where it was: nothing lost, nothing twice. With one shard the
 * stream is the hub's own, ids plain numbers, as before sharding.
 */
import { controlShardNamed, controlShardNames } from "../control-plane/control-shards.ts";

const encoder = new TextEncoder();
const FRAME_END = "\n\n";

/** Where a client was in each of `count` shards, from `Last-Event-ID` or `?after=`: a plain number is shard 0's. */
export function feedCursor(raw: string | null | undefined, count: number): number[] {
  const positions = new Array<number>(count).fill(0);
  const text = raw?.trim() ?? "";
  if (!/^\d{1,15}(\.\d{1,15}){0,63}$/.test(text)) return positions;
  text.split(".").forEach((part, index) => {
    if (index < count) positions[index] = Number(part);
  });
  return positions;
}

/** The live feed after `cursor` (Last-Event-ID, else `?after=`). */
export async function openLiveFeed(env: Env, header: string | null | undefined, query: string | null | undefined): Promise<ReadableStream<Uint8Array>> {
  const names = controlShardNames(env);
  const cursor = feedCursor(header?.trim() ? header : query, names.length);
  const streams = await Promise.all(names.map((name, index) => controlShardNamed(env, name).stream(cursor[index]!)));
  return names.length === 1 ? streams[0]! : mergeFeeds(streams, cursor);
}

/**
 * Frames of every stream as they come, each `id` rewritten to the positions reached in all of them;
 * keep-alive comments only from the first. When the client goes (a write fails), every shard stream is
 * cancelled, which is how each hub notices its subscriber left.
 */
export function mergeFeeds(streams: ReadableStream<Uint8Array>[], start: readonly number[]): ReadableStream<Uint8Array> {
  const positions = [...start];
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const readers = streams.map((stream) => stream.getReader());
  let gone = false;
  const stop = () => {
    if (gone) return;
    gone = true;
    for (const reader of readers) reader.cancel().catch(() => {});
    writer.close().catch(() => {});
  };
  const send = (text: string) => {
    if (!gone) writer.write(encoder.encode(text)).catch(stop);
  };
  const forward = (index: number, frame: string) => {
    if (frame.startsWith(":")) {
      if (index === 0) send(`${frame}${FRAME_END}`);
      return;
    }
    const lines = frame.split("\n").map((line) => {
      if (!line.startsWith("id:")) return line;
      const seq = Number(line.slice(3).trim());
      if (Number.isSafeInteger(seq)) positions[index] = seq;
      return `id: ${positions.join(".")}`;
    });
    send(`${lines.join("\n")}${FRAME_END}`);
  };
  readers.forEach(async (reader, index) => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || gone) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf(FRAME_END); end >= 0; end = buffer.indexOf(FRAME_END)) {
          forward(index, buffer.slice(0, end));
          buffer = buffer.slice(end + FRAME_END.length);
        }
      }
    } catch {
      // Broken: ended below like any other end.
    }
    // A hub's stream does not end while its client reads: one that did broke, so the merged stream
    // ends too and the client reconnects from where it was in every shard.
    stop();
  });
  return readable;
}
