/**
 * Which API path a console request under `/api/` stands for. Only `/api/v1/...` maps (to `/v1/...`);
 * anything that could walk elsewhere after a decoding step is refused before it is forwarded: `.` and
 * `..` segments, encoded slashes and backslashes, double encoding, empty segments (`//`).
 */
export type ApiPath = { path: string } | { problem: string };

export function apiPath(url: URL): ApiPath {
  const pathname = url.pathname;
  if (!pathname.startsWith("/api/v1/")) {
    return { problem: `The console forwards only /api/v1/... to the API; ${pathname} is not under it.` };
  }
  const path = pathname.slice("/api".length);
  for (const segment of path.slice(1).split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return { problem: `The path ${pathname} has a malformed %-escape.` };
    }
    if (segment === "") return { problem: `The path ${pathname} has an empty segment (//); remove it.` };
    if (decoded === "." || decoded === ".." || /[/\\%\u0000-\u001f\u007f]/.test(decoded)) {
      return { problem: `The path ${pathname} has a segment that is not allowed (dot segments, encoded slashes or escapes).` };
    }
  }
  return { path };
}
