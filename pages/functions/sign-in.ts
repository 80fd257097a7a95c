/** `GET /sign-in`: the sign-in form (public). `?next=` is where to go after; `?signed-out` says goodbye. */
import type { ConsoleFunction } from "../server/env.ts";
import { safeNext, signInPage } from "../server/sign-in-page.ts";

export const onRequestGet: ConsoleFunction = ({ request }) => {
  const query = new URL(request.url).searchParams;
  return signInPage(200, {
    next: safeNext(query.get("next")),
    ...(query.has("signed-out") ? { notice: "You are signed out." } : {}),
  });
};
