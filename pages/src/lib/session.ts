/**
 * The signed-in admin, as the Pages Functions see the session cookie: who it is, and signing out
 * (which revokes the session on the server, so the cookie is worthless afterwards).
 */
export interface SignedInUser {
  email: string;
  role: string;
}

/** The sign-in page, asked to come back to where the browser is now. */
export function signInUrl(): string {
  const here = location.pathname + location.search;
  return here === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`;
}

export async function currentUser(): Promise<SignedInUser | null> {
  try {
    const response = await fetch("/auth/me", { credentials: "same-origin", headers: { accept: "application/json" } });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<SignedInUser> & { user?: Partial<SignedInUser> };
    const user = body.user ?? body;
    return typeof user.email === "string" ? { email: user.email, role: user.role ?? "admin" } : null;
  } catch {
    return null;
  }
}

/** Ends the session on the server, then shows the sign-in page; throws (staying here) if that failed. */
export async function signOut(): Promise<void> {
  const response = await fetch("/auth/sign-out", { method: "POST", credentials: "same-origin", headers: { accept: "application/json" } });
  if (!response.ok && response.status !== 401) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `Signing out failed (HTTP ${response.status}).`);
  }
  location.assign("/sign-in?signed-out");
}
