/** Reads a Server-Sent Events response into frames, as a browser's EventSource would see them. */
import { type EventOf, type TypedExecutionEvent, typedEvent } from "../../shared/events.ts";
import type { EventType, ExecutionEvent } from "../../shared/execution.ts";

export interface SseFrame {
  id: string | null;
  event: string | null;
  data: string;
  comment: boolean;
}

export function parseSse(text: string): SseFrame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const frame: SseFrame = { id: null, event: null, data: "", comment: false };
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) frame.comment = true;
        else if (line.startsWith("id: ")) frame.id = line.slice(4);
        else if (line.startsWith("event: ")) frame.event = line.slice(7);
        else if (line.startsWith("data: ")) frame.data += line.slice(6);
      }
      return frame;
    });
}

export interface EventFrame {
  id: number;
  type: string;
  /** The frame's data: the event, read through the event contract (shared/events.ts). */
  data: TypedExecutionEvent;
}

/** The event frames (no comments) of a whole stream that ends on its own. */
export async function readEvents(response: Response): Promise<EventFrame[]> {
  return parseSse(await response.text())
    .filter((f) => !f.comment)
    .map((f) => ({ id: Number(f.id), type: f.event ?? "", data: typedEvent(JSON.parse(f.data) as ExecutionEvent) }));
}

/** The events of one type among the frames, with their data typed. */
export function eventsOfType<T extends EventType>(frames: EventFrame[], type: T): EventOf<T>[] {
  return frames.map((f) => f.data).filter((e) => e.type === type) as unknown as EventOf<T>[];
}
