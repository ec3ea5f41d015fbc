#!/bin/sh
# /init of `make bench`'s baseline (bench/baseline-image.ts): the least that
# starts ros' own dockerd from ros' own initrd, so ros' milestones can be read
# as multiples of "a kernel and Docker". One daemon, started with the system
# dockerd's arguments (src/init/system-docker.ts); it runs its own containerd.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup; mount -t tmpfs tmpfs /run
read -r up _ </proc/uptime; echo "[bench] init-start uptime=$up"
modprobe overlay
DOCKER_RAMDISK=true dockerd --host=unix:///var/run/docker.sock --bridge=none --iptables=false \
  --ip-masq=false --userland-proxy=false --log-level=warn >/run/dockerd.log 2>&1 &
until docker info >/dev/null 2>&1; do sleep 0.1; done
read -r up _ </proc/uptime; echo "[bench] docker-ready uptime=$up"
awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { print "[bench] memory-used kib=" t - a }' /proc/meminfo
exec sleep 2147483647 # PID 1 must not exit; the bench kills QEMU
