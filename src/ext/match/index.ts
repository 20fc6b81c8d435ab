/** Every match extension nfwalk models, one file each. */
import type { MatchExtension } from "../types.js";
import { comment } from "./comment.js";
import { connlimit } from "./connlimit.js";
import { hashlimit } from "./hashlimit.js";
import { limit } from "./limit.js";
import { owner } from "./owner.js";
import { physdev } from "./physdev.js";
import { policy } from "./policy.js";
import { recent } from "./recent.js";
import { rpfilter } from "./rpfilter.js";
import { rt } from "./rt.js";
import { set } from "./set.js";
import { statistic } from "./statistic.js";
import { tcpmss } from "./tcpmss.js";
import { u32 } from "./u32.js";
import { tcp } from "./tcp.js";
import { udp } from "./udp.js";
import { multiport } from "./multiport.js";
import { state } from "./state.js";
import { conntrack } from "./conntrack.js";
import { mac } from "./mac.js";
import { addrtype } from "./addrtype.js";
import { icmp } from "./icmp.js";
import { icmp6 } from "./icmp6.js";
import { mark } from "./mark.js";
import { connmark } from "./connmark.js";
import { pkttype } from "./pkttype.js";
import { ttl } from "./ttl.js";
import { hl } from "./hl.js";
import { iprange } from "./iprange.js";
import { length } from "./length.js";
import { cpu } from "./cpu.js";
import { helper } from "./helper.js";
import { sctp } from "./sctp.js";
import { dccp } from "./dccp.js";
import { esp } from "./esp.js";
import { ah } from "./ah.js";
import { tos } from "./tos.js";
import { dscp } from "./dscp.js";
import { ecn } from "./ecn.js";
import { frag } from "./frag.js";
import { ipv6header } from "./ipv6header.js";
import { devgroup } from "./devgroup.js";
import { realm } from "./realm.js";
import { string } from "./string.js";
import { quota } from "./quota.js";
import { connbytes } from "./connbytes.js";
import { socket } from "./socket.js";
import { cgroup } from "./cgroup.js";
import { connlabel } from "./connlabel.js";
import { bpf } from "./bpf.js";
import { nfacct } from "./nfacct.js";
import { mh } from "./mh.js";
import { eui64 } from "./eui64.js";
import { ipcomp } from "./ipcomp.js";
import { cluster } from "./cluster.js";
import { ipvs } from "./ipvs.js";
import { osf } from "./osf.js";
import { rateest } from "./rateest.js";
import { time } from "./time.js";
import { dst } from "./dst.js";
import { hbh } from "./hbh.js";
import { srh } from "./srh.js";

export const MATCH_EXTENSIONS: readonly MatchExtension[] = [
  // protocols
  tcp,
  udp,
  icmp,
  icmp6,
  sctp,
  dccp,
  esp,
  ah,
  // end protocols
  // general
  comment,
  limit,
  recent,
  owner,
  physdev,
  set,
  statistic,
  policy,
  hashlimit,
  rt,
  tcpmss,
  rpfilter,
  connlimit,
  u32,
  multiport,
  state,
  conntrack,
  mac,
  addrtype,
  mark,
  connmark,
  pkttype,
  ttl,
  hl,
  iprange,
  length,
  cpu,
  helper,
  tos,
  dscp,
  ecn,
  frag,
  ipv6header,
  devgroup,
  realm,
  string,
  quota,
  connbytes,
  socket,
  cgroup,
  connlabel,
  bpf,
  nfacct,
  mh,
  eui64,
  ipcomp,
  // validated and printed, not modelled
  cluster,
  ipvs,
  osf,
  rateest,
  time,
  dst,
  hbh,
  srh,
  // end general
];
