/** Proves HTTP agent URLs are stored one way (no trailing slash) and that URLs Baton cannot append to are refused. */
import { describe, expect, it } from "vitest";
import { normalizeAgentUrl } from "./agent-url.ts";

describe("normalizeAgentUrl", () => {
  it("keeps the origin and path, without trailing slashes", () => {
    expect(normalizeAgentUrl(" https://agents.example.com/v1/writer/ ")).toEqual({ ok: true, url: "https://agents.example.com/v1/writer" });
    expect(normalizeAgentUrl("http://localhost:9000")).toEqual({ ok: true, url: "http://localhost:9000" });
  });

  it("refuses what is not an absolute http(s) URL, or carries credentials, a query or a fragment", () => {
    expect(normalizeAgentUrl("agents.example.com")).toMatchObject({ ok: false, message: expect.stringContaining("absolute URL") });
    expect(normalizeAgentUrl("file:///etc/passwd")).toMatchObject({ ok: false, message: expect.stringContaining("(got file)") });
    expect(normalizeAgentUrl("https://user:pw@agents.example.com")).toMatchObject({ ok: false, message: expect.stringContaining("credentials") });
    expect(normalizeAgentUrl("https://agents.example.com/?key=1")).toMatchObject({ ok: false, message: expect.stringContaining("query") });
    expect(normalizeAgentUrl("https://agents.example.com/#run")).toMatchObject({ ok: false, message: expect.stringContaining("fragment") });
  });
});
