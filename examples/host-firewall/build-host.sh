#!/bin/sh
# Usage: build-host.sh [HOST_NS] [PEER_NS]; then ip netns exec HOST_NS iptables-restore < rules.v4
# Builds the host-firewall example in namespaces fw-host (the server) and fw-peer (a client on its LAN).
set -e
N=${1:-fw-host}; P=${2:-fw-peer}
ip netns add $N; ip netns add $P
ip -n $N link set lo up; ip -n $P link set lo up
ip -n $N link add eth0 type veth peer name eth0 netns $P
ip -n $N addr add 203.0.113.10/24 dev eth0
ip -n $P addr add 203.0.113.1/24 dev eth0
ip -n $N link set eth0 up; ip -n $P link set eth0 up
ip -n $N route add default via 203.0.113.1 dev eth0
ip netns exec $N sysctl -q -w net.ipv4.ip_forward=0 net.ipv6.conf.all.disable_ipv6=1
