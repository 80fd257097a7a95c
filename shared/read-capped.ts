/**
 * Reads a body up to a number of bytes and no further, so that nobody can make a Worker buffer an
 * unbounded body: a declared Content-Length over the cap is refused unread, and a body without one
 * (chunked) is cancelled the moment it passes the cap. Used for what Baton reads from outside (agents,
 * resolvers) and for what the console reads from browsers (sign-in, the API proxy).
 */
export async function readCappedBytes(message: Request | Response, maxBytes: number): Promise<Uint8Array | null> {
  if (Number(message.headers.get("content-length")) > maxBytes) {
    await message.body?.cancel();
    return null;
  }
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as text, or null once it exceeds `maxBytes` (the rest is not read). */
export async function readCapped(message: Request | Response, maxBytes: number): Promise<string | null> {
  const bytes = await readCappedBytes(message, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}
