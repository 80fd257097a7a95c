/**
 * The `ConsoleGateway` RPC entrypoint (docs/architecture.md, contract) as the console's Pages Functions see it:
 * sign-in, session lookup, sign-out, and the public API served on behalf of a signed-in user (an admin,
 * or a viewer who only reads). Trust comes from the service binding; nothing here is reachable over the
 * public HTTP API.
 */

export type UserRole = "admin" | "viewer";

/** Who a valid session belongs to. */
export interface ConsoleIdentity {
  userId: string;
  email: string;
  role: UserRole;
}

export interface ConsoleSession {
  identity: ConsoleIdentity;
  /** Epoch milliseconds; the session is refused from then on. */
  expiresAt: number;
}

export interface SignInRequest {
  email: string;
  password: string;
  /** The client's address (CF-Connecting-IP): failed attempts are limited per address too. */
  address?: string;
  userAgent?: string;
  /** The session token the browser still presents, if any: it is revoked by the new sign-in. */
  replacing?: string;
}

export type SignInResult =
  | { ok: true; token: string; session: ConsoleSession }
  | { ok: false; code: "invalid_credentials"; message: string }
  | { ok: false; code: "rate_limited"; message: string; retryAfterSeconds: number };

export interface ConsoleGatewayRpc {
  signIn(request: SignInRequest): Promise<SignInResult>;
  /** The session behind a cookie's token, or null when it is unknown, expired, revoked or its user disabled. */
  session(token: string): Promise<ConsoleSession | null>;
  /** Revokes the session server-side; unknown tokens are ignored. */
  signOut(token: string): Promise<void>;
  /**
   * Serves a request for the public API (`/v1/...`, no bearer token) as the given user: every change is
   * audited as `admin:<email>`; a viewer gets only the reads the gateway's viewer policy allows (403
   * otherwise). Streaming bodies (SSE) come back unbuffered.
   */
  api(request: Request, identity: ConsoleIdentity): Promise<Response>;
}
