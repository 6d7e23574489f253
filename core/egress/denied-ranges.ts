import ipaddr from "ipaddr.js";

/**
 * Address ranges that user-configured requests may never reach: Dify's ssrf_proxy
 * `to_private_networks` ACL plus a few ranges it misses (IETF protocol assignments, which hold
 * Oracle Cloud's metadata address; benchmarking; NAT64 and 6to4, which embed IPv4; multicast).
 */
const deniedIpv4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
].map((cidr) => ipaddr.IPv4.parseCIDR(cidr));

const deniedIpv6 = [
  "::/128",
  "::1/128",
  "::ffff:0:0/96",
  "::/96",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

const loopbackIpv4 = ipaddr.IPv4.parseCIDR("127.0.0.0/8");
const loopbackIpv6 = ipaddr.IPv6.parseCIDR("::1/128");

/** True when `address` (an IP literal without brackets) is in a denied range. Unparseable input is denied. */
export function isDeniedAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return true;
  }
  if (parsed.kind() === "ipv4") return deniedIpv4.some((range) => (parsed as ipaddr.IPv4).match(range));
  return deniedIpv6.some((range) => (parsed as ipaddr.IPv6).match(range));
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string): boolean {
  try {
    const parsed = ipaddr.process(address);
    return parsed.kind() === "ipv4" ? parsed.match(loopbackIpv4) : (parsed as ipaddr.IPv6).match(loopbackIpv6);
  } catch {
    return false;
  }
}

export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname);
}
