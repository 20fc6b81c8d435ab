/** Every target extension nfwalk models, one file each. */
import type { TargetExtension } from "../types.js";
import { AUDIT } from "./AUDIT.js";
import { CHECKSUM } from "./CHECKSUM.js";
import { CLASSIFY } from "./CLASSIFY.js";
import { CONNMARK } from "./CONNMARK.js";
import { CONNSECMARK } from "./CONNSECMARK.js";
import { CT } from "./CT.js";
import { DNAT } from "./DNAT.js";
import { HL } from "./HL.js";
import { LOG } from "./LOG.js";
import { MARK } from "./MARK.js";
import { MASQUERADE } from "./MASQUERADE.js";
import { NETMAP } from "./NETMAP.js";
import { NFLOG } from "./NFLOG.js";
import { NFQUEUE } from "./NFQUEUE.js";
import { NOTRACK } from "./NOTRACK.js";
import { REDIRECT } from "./REDIRECT.js";
import { REJECT_IPV4, REJECT_IPV6 } from "./REJECT.js";
import { SNAT } from "./SNAT.js";
import { ACCEPT, DROP, QUEUE, RETURN } from "./standard.js";
import { TCPMSS } from "./TCPMSS.js";
import { TRACE } from "./TRACE.js";
import { TTL } from "./TTL.js";

import { DSCP } from "./DSCP.js";
import { ECN } from "./ECN.js";
import { IDLETIMER } from "./IDLETIMER.js";
import { SECMARK } from "./SECMARK.js";
import { SYNPROXY } from "./SYNPROXY.js";
import { TCPOPTSTRIP } from "./TCPOPTSTRIP.js";
import { TEE } from "./TEE.js";
import { TOS } from "./TOS.js";
import { TPROXY } from "./TPROXY.js";
import { HMARK } from "./HMARK.js";
import { LED } from "./LED.js";
import { DNPT, SNPT } from "./NPT.js";
import { SET } from "./SET.js";
import { RATEEST } from "./RATEEST.js";

export const TARGET_EXTENSIONS: readonly TargetExtension[] = [
  ACCEPT,
  DROP,
  RETURN,
  QUEUE,
  REJECT_IPV4,
  REJECT_IPV6,
  MASQUERADE,
  DNAT,
  SNAT,
  REDIRECT,
  LOG,
  NFLOG,
  MARK,
  CONNMARK,
  NETMAP,
  NOTRACK,
  CT,
  CHECKSUM,
  TCPMSS,
  TTL,
  HL,
  TRACE,
  NFQUEUE,
  AUDIT,
  CONNSECMARK,
  CLASSIFY,
  DSCP,
  ECN,
  IDLETIMER,
  SECMARK,
  SYNPROXY,
  TCPOPTSTRIP,
  TEE,
  TOS,
  TPROXY,
  // validated and printed, not modelled
  HMARK,
  LED,
  SNPT,
  DNPT,
  SET,
  RATEEST,
];
