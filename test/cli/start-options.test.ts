/**
 * Proves `npm start`'s options for the registry and the crons, and that the ready banner always keeps the
 * line that fires the crons by hand (tests and impatient people use it), whatever the ticking.
 */
import { describe, expect, it } from "vitest";
import { readyBanner } from "../../scripts/ready-banner.ts";
import { OptionsError, parseStartOptions } from "../../scripts/start-options.ts";

describe("npm start options", () => {
  it("uses the default registry and fires the crons every minute unless told otherwise", () => {
    expect(parseStartOptions([], {})).toMatchObject({ privateRegistry: false, cronEveryMs: 60_000 });
    expect(parseStartOptions(["--private-registry", "--no-crons"], {})).toMatchObject({ privateRegistry: true, cronEveryMs: 0 });
    expect(parseStartOptions([], { BATON_CRON_EVERY_MS: "3000" }).cronEveryMs).toBe(3_000);
    expect(() => parseStartOptions([], { BATON_CRON_EVERY_MS: "5" })).toThrow(OptionsError);
  });

  it("keeps the manual trigger line in the banner, and says which registry", () => {
    const info = {
      apiUrl: "http://localhost:8787",
      consoleUrl: "http://localhost:8788",
      secrets: { ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "pw", API_TOKEN: "bt_x" },
      exampleTemplate: "hello",
      seconds: 3,
    };
    const ticking = readyBanner({ ...info, cronEveryMs: 60_000, privateRegistry: false });
    expect(ticking).toContain("Crons fire every minute, as deployed; `curl http://localhost:8787/cdn-cgi/local/scheduled` runs them once more now.");
    expect(ticking).toContain("npm run example:caller");
    const quiet = readyBanner({ ...info, cronEveryMs: 0, privateRegistry: true });
    expect(quiet).toContain("Crons are off (--no-crons); `curl http://localhost:8787/cdn-cgi/local/scheduled` runs them once.");
    expect(quiet).toContain("--private-registry");
  });
});
