/**
 * Builds the console SPA into pages/dist, the directory Pages serves (`npm run build:console`).
 *
 * `vite --config pages/vite.config.ts` serves it for development without the Pages Functions: `/api` is
 * proxied to a running API (BATON_API_URL, default http://localhost:8787) with the token from .dev.vars,
 * so the console works signed in as the token's owner. (The sign-in page is a Pages Function, not
 * part of this build.)
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

function devToken(): string | undefined {
  const path = fileURLToPath(new URL("../.dev.vars", import.meta.url));
  if (!existsSync(path)) return undefined;
  return /^\s*API_TOKEN\s*=\s*["']?([^"'\s]+)/m.exec(readFileSync(path, "utf8"))?.[1];
}

export default defineConfig(({ command }) => {
  const token = command === "serve" ? devToken() : undefined;
  return {
    root,
    // Everything the SPA needs is imported from src/; there are no static files to copy.
    publicDir: false,
    // Vite's cache with the repository's dependencies, not in a pages/node_modules of its own.
    cacheDir: fileURLToPath(new URL("../node_modules/.vite/console", import.meta.url)),
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    build: {
      outDir: "dist",
      emptyOutDir: true,
      target: "es2022",
    },
    server: {
      proxy: {
        "/api": {
          target: process.env.BATON_API_URL ?? "http://localhost:8787",
          rewrite: (path) => path.replace(/^\/api/, ""),
          headers: token ? { authorization: `Bearer ${token}` } : {},
        },
      },
    },
  };
});
