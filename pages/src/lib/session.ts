/**
 * The signed-in user, as the Pages Functions see the session cookie: who it is (an admin, or a viewer who
 * reads only), and signing out (which revokes the session on the server, so the cookie is worthless
 * afterwards).
 */
import { useEffect, useState } from "preact/hooks";
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

let signedIn: Promise<SignedInUser | null> | undefined;

/** Who is signed in, asked once per page load and shared by every view (null until known, or signed out). */
export function useSignedInUser(): SignedInUser | null {
  const [user, setUser] = useState<SignedInUser | null>(null);
  useEffect(() => {
    signedIn ??= currentUser();
    void signedIn.then(setUser);
  }, []);
  return user;
}
