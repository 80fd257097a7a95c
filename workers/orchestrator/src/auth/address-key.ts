import { parseIpv6 } from "../outbound/address-ranges.ts";

/**
 * The client address a sign-in is counted under. An IPv6 user is handed a whole /64 and can rotate
 * through it at will, so every address inside one /64 counts as one; IPv4 addresses count each (an
 * IPv4-mapped IPv6 address is its IPv4 address). Anything unparseable counts as itself, lowercased.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return "unknown";
  const text = address.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!text.includes(":")) return text;
  const groups = parseIpv6(text);
  if (!groups) return text;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}
