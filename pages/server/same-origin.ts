/**
 * Cross-site request forgery stops here: an unsafe request (anything but GET, HEAD, OPTIONS) must carry
 * an `Origin` equal to the console's own. Browsers send Origin on every such request; a request without
 * one is refused too, so a client that strips it gains nothing. (SameSite=Strict is the second line.)
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** Why the request is refused, or undefined when it may go on. */
export function crossOriginProblem(request: Request): string | undefined {
  if (isSafeMethod(request.method)) return undefined;
  const origin = request.headers.get("origin");
  const own = new URL(request.url).origin;
  if (!origin) return `A ${request.method} without an Origin header is refused: the console accepts changes only from its own origin (${own}).`;
  if (origin !== own) return `A ${request.method} from the origin ${origin} is refused: the console accepts changes only from its own origin (${own}).`;
  return undefined;
}
