/**
 * `ConsoleGateway` (docs/architecture.md, contract): what the console's Pages Functions call through their service
 * binding. Sign-in, session lookup and sign-out for the session cookie, and `api`, which serves the
 * public API's `/v1` routes on behalf of a signed-in user without a bearer token: trust comes from the
 * binding, and every change is audited as `admin:<email>`. A viewer gets only what viewer-policy.ts
 * allows (reads), refused here whatever the console's UI shows. Responses, SSE included, stream back
 * as the routes produce them.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { z } from "zod";
import type { ConsoleGatewayRpc, ConsoleIdentity, ConsoleSession, SignInRequest, SignInResult } from "#shared/console.ts";
import { DomainError } from "../errors.ts";
import { findSession, revokeSession } from "../auth/sessions.ts";
import { signIn } from "../auth/sign-in.ts";
import { database } from "../db/client.ts";
import { parseArgument, rpcCall } from "../rpc/errors.ts";
import { ConsoleCallContext, consoleApi } from "./console-api.ts";
import { viewerRefusal } from "./viewer-policy.ts";

const signInRequestSchema = z.strictObject({
  email: z.string().max(1024),
  password: z.string().max(4096),
  address: z.string().max(64).optional(),
  userAgent: z.string().max(4096).optional(),
  replacing: z.string().max(256).optional(),
});
const tokenSchema = z.string().max(256);
const identitySchema = z.object({ userId: z.string(), email: z.string().min(1), role: z.enum(["admin", "viewer"]) });

export class ConsoleGateway extends WorkerEntrypoint<Env> implements ConsoleGatewayRpc {
  signIn(request: SignInRequest): Promise<SignInResult> {
    return rpcCall(() =>
      signIn(database(this.env.DB), this.env, parseArgument(signInRequestSchema, request, "sign-in request")),
    );
  }

  session(token: string): Promise<ConsoleSession | null> {
    return rpcCall(() => findSession(database(this.env.DB), parseArgument(tokenSchema, token, "session token")));
  }

  signOut(token: string): Promise<void> {
    return rpcCall(() => revokeSession(database(this.env.DB), parseArgument(tokenSchema, token, "session token")));
  }

  async api(request: Request, identity: ConsoleIdentity): Promise<Response> {
    const parsed = identitySchema.safeParse(identity);
    if (!parsed.success) return refuse(new DomainError("forbidden", "The console's API needs a signed-in user."));
    if (!(request instanceof Request) || !new URL(request.url).pathname.startsWith("/v1/")) {
      return refuse(new DomainError("not_found", "The console gateway serves only the API under /v1/."));
    }
    const { role, email } = parsed.data;
    if (role === "viewer") {
      const refusal = viewerRefusal(request.method, new URL(request.url).pathname);
      if (refusal) return refuse(new DomainError("forbidden", refusal));
    }
    const ctx = new ConsoleCallContext(this.ctx, { kind: role, name: email });
    return consoleApi().fetch(request, this.env, ctx);
  }

  /** Not a way in: the console calls `api` with the admin it signed in. */
  override fetch(): Response {
    return refuse(new DomainError("not_found", "ConsoleGateway has no fetch handler; call its RPC methods (api, session, signIn, signOut)."));
  }
}

function refuse(error: DomainError): Response {
  return Response.json({ error: { code: error.code, message: error.message } }, { status: error.status });
}
