#!/bin/sh
# Usage: build-node.sh [NODE_NS] [PEER_NS]; then ip netns exec NODE_NS iptables-restore < rules.v4
# Builds the kube-node example host in namespaces kn-node (the node) and kn-ext (its LAN peer).
set -e
N=${1:-kn-node}; E=${2:-kn-ext}
ip netns add $N; ip netns add $E
ip -n $N link set lo up; ip -n $E link set lo up
ip -n $N link add eth0 type veth peer name eth0 netns $E
ip -n $N link add cni0 type bridge
ip -n $N link add veth-pod type veth peer name veth-pod-p
ip -n $N link set veth-pod master cni0
ip -n $N link add flannel.1 type veth peer name flannel-p
ip -n $N addr add 192.168.1.10/24 dev eth0
ip -n $N addr add 10.244.0.1/24 dev cni0
ip -n $N addr add 10.244.0.0/32 dev flannel.1
for d in eth0 cni0 veth-pod veth-pod-p flannel.1 flannel-p; do ip -n $N link set $d up; done
ip -n $E addr add 192.168.1.50/24 dev eth0; ip -n $E link set eth0 up
ip -n $N route add default via 192.168.1.1 dev eth0
ip -n $N route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
ip -n $N route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip netns exec $N sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.disable_ipv6=1
ip netns exec $N sysctl -q -e -w net.bridge.bridge-nf-call-iptables=1
