"""
One per namespace of the conformance topology, started by helper.ts: injects packets
and observes where they arrive. Reads one JSON command a line on stdin and answers
each with one JSON line on stdout:

  {"op": "prepare", "id": N, "protocol": P}   forget what was seen so far
  {"op": "send", "mode": "l2", "srcMac": .., "dstMac": .., "packet": {..}}
  {"op": "send", "mode": "local", "packet": {..}}
  {"op": "collect", "id": N}                   IPv4 packets with IP id N seen since prepare
  {"op": "nft", "script": ".."}                run an nft script, return its output
  {"op": "flush-conntrack"}                    what `conntrack -F` does

The last two talk netlink from this process instead of spawning nft and conntrack: on a
busy machine each spawn under `ip netns exec` costs 50 to 300 ms, per packet.

`--capture IFACE` watches frames arriving on IFACE (an AF_PACKET socket: it sees the
packet on the wire, before this namespace's own netfilter). `--deliver` watches packets
delivered locally: raw IP sockets get a copy of every packet of their protocol after
the INPUT hooks, so with the NAT of the way already applied.
"""
import argparse
import ctypes
import json
import os
import socket
import struct
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

ETH_P_IP = 0x0800
ETH_HEADER = 14
PACKET_OUTGOING = 4
SO_MARK = 36
PORT_PROTOCOLS = {6, 17, 33, 132, 136}

NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_DELETE = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2


def build(p):
    """The IPv4 packet `p` (nfwalk's packet fields) as bytes, checksums filled in."""
    frag = p["frag"]
    ip = IP(src=p["src"], dst=p["dst"], ttl=p["ttl"], tos=p["tos"], id=p["id"], proto=p["protocol"], frag=frag)
    if frag > 0:
        # A later fragment carries no transport header.
        layers = ip
    elif p["kind"] == "tcp":
        # ack=0 even with the ACK flag: conntrack takes a lone ACK as NEW whatever the number.
        layers = ip / TCP(sport=p["sport"], dport=p["dport"], flags=p["flags"], seq=1, window=64240)
    elif p["kind"] == "udp":
        layers = ip / UDP(sport=p["sport"], dport=p["dport"])
    elif p["kind"] == "icmp":
        layers = ip / ICMP(type=p["type"], code=p["code"])
    elif "sport" in p:
        # udplite, sctp, dccp: the ports lead the header; the rest stays zero.
        layers = ip / Raw(struct.pack("!HH", p["sport"], p["dport"]) + bytes(p["headerLength"] - 4))
    else:
        layers = ip
    missing = p["length"] - len(layers)
    if missing > 0:
        layers = layers / Raw(bytes(missing))
    return bytes(layers)


def header(data):
    """The fields of an IPv4 packet the oracle reports, or None for something else."""
    if len(data) < 20 or data[0] >> 4 != 4:
        return None
    ihl = (data[0] & 0x0F) * 4
    ident, frag = struct.unpack("!HH", data[4:8])
    h = {
        "id": ident,
        "protocol": data[9],
        "src": socket.inet_ntoa(data[12:16]),
        "dst": socket.inet_ntoa(data[16:20]),
        "ttl": data[8],
        "tos": data[1],
    }
    l4 = data[ihl:]
    if frag & 0x1FFF == 0:
        if h["protocol"] in PORT_PROTOCOLS and len(l4) >= 4:
            h["sport"], h["dport"] = struct.unpack("!HH", l4[:4])
            if h["protocol"] == 6 and len(l4) >= 14:
                h["flags"] = l4[13]
        elif h["protocol"] == 1 and len(l4) >= 2:
            h["type"], h["code"] = l4[0], l4[1]
    return h


def drain(sock, skip_ethernet):
    """Everything queued on a non-blocking socket, as IPv4 headers."""
    seen = []
    while True:
        try:
            data, addr = sock.recvfrom(65535)
        except BlockingIOError:
            return seen
        if skip_ethernet:
            # Our own injected frame shows up as outgoing; only arrivals count.
            if addr[2] == PACKET_OUTGOING:
                continue
            data = data[ETH_HEADER:]
        h = header(data)
        if h is not None:
            seen.append(h)


class Nft:
    """libnftables (the library behind the nft command) through ctypes."""

    def __init__(self):
        lib = ctypes.CDLL("libnftables.so.1")
        lib.nft_ctx_new.restype = ctypes.c_void_p
        lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
        for name in ("nft_ctx_buffer_output", "nft_ctx_buffer_error"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
        lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        for name in ("nft_ctx_get_output_buffer", "nft_ctx_get_error_buffer"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
            getattr(lib, name).restype = ctypes.c_char_p
        self.lib = lib
        self.ctx = lib.nft_ctx_new(0)
        lib.nft_ctx_buffer_output(self.ctx)
        lib.nft_ctx_buffer_error(self.ctx)

    def run(self, script):
        code = self.lib.nft_run_cmd_from_buffer(self.ctx, script.encode())
        output = (self.lib.nft_ctx_get_output_buffer(self.ctx) or b"").decode()
        error = (self.lib.nft_ctx_get_error_buffer(self.ctx) or b"").decode()
        if code != 0:
            return {"ok": False, "error": error.strip() or f"nft exit {code}"}
        return {"ok": True, "output": output}


def flush_conntrack():
    """An IPCTNL_MSG_CT_DELETE without attributes: ctnetlink flushes the IPv4 table."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER) as nl:
        nl.bind((0, 0))
        body = struct.pack("=BBH", socket.AF_INET, 0, 0)
        msg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE
        nl.send(struct.pack("=IHHII", 16 + len(body), msg_type, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)
        reply = nl.recv(4096)
    kind = struct.unpack("=H", reply[4:6])[0]
    error = struct.unpack("=i", reply[16:20])[0] if kind == NLMSG_ERROR else 0
    if error != 0:
        return {"ok": False, "error": f"conntrack flush: {os.strerror(-error)}"}
    return {"ok": True}


class Helper:
    def __init__(self, capture, deliver, mark):
        self.capture_iface = capture
        self.capture = None
        if capture:
            self.capture = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
            self.capture.bind((capture, ETH_P_IP))
            self.capture.setblocking(False)
        self.deliver = deliver
        self.delivered = {}
        self.mark = mark
        self.l2 = None
        self.local = None
        self.nft_ctx = None

    def nft(self, cmd):
        if self.nft_ctx is None:
            self.nft_ctx = Nft()
        return self.nft_ctx.run(cmd["script"])

    def delivery_socket(self, protocol):
        sock = self.delivered.get(protocol)
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, protocol)
            sock.setblocking(False)
            self.delivered[protocol] = sock
        return sock

    def prepare(self, cmd):
        if self.capture:
            drain(self.capture, True)
        if self.deliver:
            self.delivery_socket(cmd["protocol"])
            for sock in self.delivered.values():
                drain(sock, False)
        return {"ok": True}

    def send(self, cmd):
        data = build(cmd["packet"])
        if cmd["mode"] == "l2":
            if self.l2 is None:
                self.l2 = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
                self.l2.bind((self.capture_iface, 0))
            self.l2.send(bytes(Ether(src=cmd["srcMac"], dst=cmd["dstMac"], type=ETH_P_IP)) + data)
            return {"ok": True}
        if self.local is None:
            # IPPROTO_RAW: the header is ours (spoofed source included), the way through
            # the host's OUTPUT hooks the kernel's. The socket mark lets the namespace's
            # reply silencer tell this packet from everything else.
            self.local = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            self.local.setsockopt(socket.SOL_SOCKET, SO_MARK, self.mark)
            self.local.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            self.local.sendto(data, (cmd["packet"]["dst"], 0))
        except OSError as e:
            return {"ok": False, "errno": e.errno, "error": str(e)}
        return {"ok": True}

    def collect(self, cmd):
        seen = []
        if self.capture:
            seen += [dict(h, at="capture") for h in drain(self.capture, True)]
        for sock in self.delivered.values():
            seen += [dict(h, at="deliver") for h in drain(sock, False)]
        return {"ok": True, "seen": [h for h in seen if h["id"] == cmd["id"]]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--capture")
    parser.add_argument("--deliver", action="store_true")
    parser.add_argument("--mark", type=lambda s: int(s, 0), required=True)
    args = parser.parse_args()
    helper = Helper(args.capture, args.deliver, args.mark)
    ops = {
        "prepare": helper.prepare,
        "send": helper.send,
        "collect": helper.collect,
        "nft": helper.nft,
        "flush-conntrack": lambda _: flush_conntrack(),
    }
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            cmd = json.loads(line)
            answer = ops[cmd["op"]](cmd)
        except Exception as e:  # noqa: BLE001 — any failure goes back to the caller, which throws
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
