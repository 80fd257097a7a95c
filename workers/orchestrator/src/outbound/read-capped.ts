/**
 * Reads an answer from outside up to a number of bytes and no further, so that no agent, receiver or
 * resolver can make Baton buffer an unbounded body: a declared Content-Length over the cap is refused
 * unread, and a body without one is cancelled the moment it passes the cap.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
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
  return new TextDecoder().decode(bytes);
}
