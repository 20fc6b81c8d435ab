/** The host model: reading `ip -json` and `--sysctl`, the default host, and the kernel's routing decisions. */
export type * from "./types.js";
export { parseIpAddr, parseIpRoute, type Parsed } from "./ip-json.js";
export { parseSysctls, DEFAULT_SYSCTLS } from "./sysctl.js";
export { defaultHost } from "./default-host.js";
export { compileHost, localRoutesV4, localRoutesV6 } from "./fib.js";
export { receiveCheck, rerouteOutput, routeInput, routeOutput } from "./routing.js";
export { addressType } from "./addrtype.js";
export { bridgeOf, l3Device } from "./devices.js";
export { masqueradeAddress, primaryAddress, redirectAddress } from "./nat-address.js";
