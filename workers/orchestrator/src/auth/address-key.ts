/**
 * The client address a sign-in is counted under. An IPv6 user is handed a whole /64 and can rotate
 * through it at will, so every address inside one /64 counts as one; IPv4 addresses count each (an
 * IPv4-mapped IPv6 address is its IPv4 address). Anything unparseable counts as itself, lowercased.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return "unknown";
  const text = address.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!text.includes(":")) return text;
  const groups = expandIpv6(text);
  if (!groups) return text;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail read), or null. */
function expandIpv6(text: string): number[] | null {
  let body = text;
  const tail: number[] = [];
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(body);
  if (dotted) {
    const bytes = dotted.slice(1).map(Number);
    if (bytes.some((b) => b > 255)) return null;
    tail.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
    body = body.slice(0, dotted.index);
    if (!body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const known = head.length + rest.length + tail.length;
  if (head.concat(rest).some(Number.isNaN) || known > 8 || (halves.length === 1 && known !== 8)) return null;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail];
}
