/** An `<a>` that navigates inside the SPA on a plain click and behaves as a normal link otherwise. */
import type { ComponentChildren } from "preact";
import { navigate } from "../lib/router.ts";

interface Props {
  href: string;
  class?: string;
  title?: string;
  "aria-label"?: string;
  "aria-current"?: "page";
  children?: ComponentChildren;
}

export function Link({ href, children, ...rest }: Props) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
