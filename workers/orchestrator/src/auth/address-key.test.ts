/** Proves how sign-in attempts are bucketed by address: a whole IPv6 /64 is one address, IPv4 each its own. */
import { describe, expect, it } from "vitest";
import { addressKey } from "./address-key.ts";

describe("addressKey", () => {
  it("folds every address of one IPv6 /64 into one key", () => {
    const key = addressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(key);
    expect(addressKey("2001:0DB8:0001:0002:abcd::9")).toBe(key);
    expect(addressKey("[2001:db8:1:2::7]")).toBe(key);
    expect(addressKey("2001:db8:1:3::1")).not.toBe(key);
  });

  it("keeps IPv4 addresses apart, reads IPv4-mapped IPv6 as IPv4, and never throws", () => {
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("198.51.100.8")).not.toBe(addressKey("198.51.100.7"));
    expect(addressKey("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey(undefined)).toBe("unknown");
    expect(addressKey("not:an:address:::")).toBe("not:an:address:::");
  });
});
