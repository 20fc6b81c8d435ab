/**
 * The packet form: protocol, addresses, ports, TCP flags or ICMP type, and where the packet
 * comes from. The packet itself is the command's packet syntax (shown and editable below the
 * fields), so whatever the fields cannot say (`[ttl 1]`, other protocols) can still be written.
 * The worker reads that syntax (the page holds no engine code); when the packet was written
 * as text, its answer fills the fields.
 */
import { byId, h } from "./dom.ts";
import type { PacketFields } from "./protocol.ts";

/** TCP's flag bits by the names the packet syntax takes (packet/spec.ts), in the order a header lists them. */
const TCP_FLAGS = [
  ["SYN", 2],
  ["ACK", 16],
  ["FIN", 1],
  ["RST", 4],
  ["PSH", 8],
  ["URG", 32],
] as const;

const PORT_PROTOCOLS = new Set(["tcp", "udp", "udplite", "sctp", "dccp"]);

export interface PacketForm {
  /** The packet in the command's syntax. */
  spec(): string;
  /** "local", or the interface the packet arrives on. */
  from(): string;
  set(spec: string, from: string): void;
  /** The worker's reading of a packet text: fills the fields when the text is what the form shows. */
  read(spec: string, packet: PacketFields): void;
  /** The host's interfaces, offered as where the packet arrives. */
  setInterfaces(names: readonly string[]): void;
}

export function packetForm(onChange: () => void): PacketForm {
  const proto = byId<HTMLSelectElement>("pf-proto");
  const src = byId<HTMLInputElement>("pf-src");
  const sport = byId<HTMLInputElement>("pf-sport");
  const dst = byId<HTMLInputElement>("pf-dst");
  const dport = byId<HTMLInputElement>("pf-dport");
  const icmpType = byId<HTMLInputElement>("pf-icmp-type");
  const from = byId<HTMLSelectElement>("pf-from");
  const raw = byId<HTMLInputElement>("pf-spec");
  const flagBox = byId("pf-flags");
  const flags = TCP_FLAGS.map(([name]) => {
    const box = h("input", { type: "checkbox", value: name, id: `pf-flag-${name}` });
    flagBox.append(h("label", { class: "flag" }, box, name));
    return box;
  });
  let interfaces: readonly string[] = [];

  /** Shows the fields that apply to the protocol. */
  const showFieldsOf = (protocol: string) => {
    document.body.dataset["proto"] = PORT_PROTOCOLS.has(protocol) ? (protocol === "tcp" ? "tcp" : "ports") : protocol === "icmp" || protocol === "icmpv6" ? "icmp" : "other";
  };

  /** The spec the fields say. */
  const fromFields = (): string => {
    const p = proto.value;
    const endpoint = (address: string, port: string) => {
      const a = address.trim() || "0.0.0.0";
      const bracketed = a.includes(":") ? `[${a}]` : a;
      return PORT_PROTOCOLS.has(p) && port.trim() !== "" ? `${bracketed}:${port.trim()}` : a;
    };
    let options = "";
    if (p === "tcp") {
      const set = flags.filter((f) => f.checked).map((f) => f.value);
      options = ` [flags ${set.length ? set.join(",") : "NONE"}]`;
    } else if ((p === "icmp" || p === "icmpv6") && icmpType.value.trim() !== "") options = ` [type ${icmpType.value.trim()}]`;
    return `${p} ${endpoint(src.value, sport.value)} -> ${endpoint(dst.value, dport.value)}${options}`;
  };

  /** Whether the fields wait for the worker's reading of the text (it was loaded or typed as text). */
  let fieldsFollowText = true;

  const fillFields = (packet: PacketFields) => {
    const name = packet.proto;
    if (![...proto.options].some((o) => o.value === name)) proto.append(h("option", { value: name }, name));
    proto.value = name;
    src.value = packet.src;
    dst.value = packet.dst;
    sport.value = packet.sport === undefined ? "" : String(packet.sport);
    dport.value = packet.dport === undefined ? "" : String(packet.dport);
    for (const [i, [, bit]] of TCP_FLAGS.entries()) flags[i]!.checked = ((packet.flags ?? 0) & bit) !== 0;
    icmpType.value = packet.type === undefined ? "" : String(packet.type);
    showFieldsOf(name);
  };

  const fillFrom = (value: string) => {
    const names = interfaces.includes(value) || value === "local" ? interfaces : [...interfaces, value];
    from.replaceChildren(...names.map((n) => h("option", { value: n }, `arrives on ${n}`)), h("option", { value: "local" }, "sent by the host (local)"));
    from.value = value;
  };

  for (const field of [proto, src, sport, dst, dport, icmpType, ...flags]) {
    field.addEventListener("input", () => {
      fieldsFollowText = false;
      showFieldsOf(proto.value);
      raw.value = fromFields();
      onChange();
    });
  }
  raw.addEventListener("input", () => {
    fieldsFollowText = true;
    onChange();
  });
  from.addEventListener("change", onChange);

  return {
    spec: () => raw.value.trim(),
    from: () => from.value,
    set(spec, origin) {
      raw.value = spec;
      fieldsFollowText = true;
      fillFrom(origin);
    },
    read(spec, packet) {
      if (fieldsFollowText && spec === raw.value.trim()) fillFields(packet);
    },
    setInterfaces(names) {
      if (names.length === 0 || names.join() === interfaces.join()) return;
      const current = from.value;
      interfaces = names;
      fillFrom(current);
    },
  };
}
