/**
 * Rules (table, rule text) by what loading them does to connection tracking: the unit test
 * checks nfwalk's derivation on them and the kernel test loads each into a namespace, so
 * every case nfwalk is tested on is also one the kernel answers.
 */
export type RuleCase = readonly [table: string, rule: string];

/** Their checkentry calls nf_ct_netns_get (or they are NAT targets): conntrack runs. */
export const TURN_CONNTRACK_ON: readonly RuleCase[] = [
  ["filter", "-m conntrack --ctstate NEW"],
  ["filter", "-m state --state NEW"],
  ["filter", "-m connmark --mark 0x1"],
  ["mangle", "-j CONNMARK --set-xmark 0x1/0xffffffff"],
  ["filter", "-m connbytes --connbytes 10 --connbytes-mode packets --connbytes-dir both"],
  ["filter", "-m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr"],
  ["filter", "-m connlabel --label 1"],
  ["filter", "-m helper --helper ftp"],
  ["raw", "-j CT --zone 1"],
  ["raw", "-j CT"],
  ["filter", "-p tcp -j SYNPROXY --mss 1460"],
  ["mangle", "-j CONNSECMARK --save"],
  ["filter", "-m cluster --cluster-local-nodemask 0x00000001 --cluster-total-nodes 2 --cluster-hash-seed 0x00000001"],
  ["nat", "-j DNAT --to-destination 1.2.3.4"],
  ["nat", "-j SNAT --to-source 1.2.3.4"],
  ["nat", "-j MASQUERADE"],
  ["nat", "-j REDIRECT"],
  ["nat", "-j NETMAP --to 1.2.3.0/24"],
];

/** Loaded without anything that needs conntrack: it stays off. */
export const LEAVE_CONNTRACK_OFF: readonly RuleCase[] = [
  ["raw", "-j CT --notrack"],
  ["raw", "-j NOTRACK"],
  ["nat", "-j ACCEPT"],
  ["nat", "-m addrtype --dst-type LOCAL -j RETURN"],
  ["filter", "-m recent --set --name DEFAULT --mask 255.255.255.255 --rsource"],
  ["filter", "-j LOG"],
  ["filter", "-j NFQUEUE --queue-num 0"],
  ["mangle", "-j MARK --set-xmark 0x1/0xffffffff"],
  ["mangle", "-p tcp -j TCPMSS --clamp-mss-to-pmtu"],
  ["filter", "-m limit --limit 1/sec"],
];

/** They leave conntrack off but make the kernel defragment (nf_defrag_ipv4_enable). */
export const DEFRAGMENT_ONLY: readonly RuleCase[] = [
  ["mangle", "-m socket"],
  ["mangle", "-p tcp -j TPROXY --on-port 1 --on-ip 1.2.3.4 --tproxy-mark 0x0/0x0"],
];
