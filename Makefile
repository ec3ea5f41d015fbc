# ros — build, boot and test. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := image

QEMU        ?= qemu-system-x86_64
# Single-threaded TCG: multi-threaded TCG (QEMU 7.2) can hang or oops the guest
# when the kernel patches its own code (README, "Why QEMU runs single-threaded").
QEMU_ACCEL  ?= tcg,thread=single
QEMU_MEM    ?= 2048
QEMU_SMP    ?= 2
SSH_PORT    ?= 2222
APPEND      ?=
CMDLINE     := console=ttyS0 rancher.autologin=ttyS0 $(APPEND)

SRC         := $(shell find src -type f) package.json scripts/build-sea.mjs
IMAGE_SRC   := $(shell find initramfs system-services -type f)
UNIT_TESTS  := $(shell find test/unit -name '*.test.ts' 2>/dev/null | sort)
E2E_ALL     := $(shell find test/e2e -name '*.test.ts' 2>/dev/null | sort)
# The slow stories, left to `make test-long` so `make test` stays within CI's
# 45 minutes: the suite checks one of each kind where it can (a cloud: EC2),
# these add the rest.
E2E_LONG    := $(addprefix test/e2e/,install.test.ts power-cut.test.ts upgrade-uefi.test.ts upgrade-power-cut.test.ts \
               metadata-digitalocean.test.ts metadata-azure.test.ts metadata-clouds.test.ts upgrade.test.ts updates.test.ts network.test.ts swarm.test.ts)
# upgrade.test.ts (about 25 minutes of boots) and updates.test.ts (about 20) alone
# would take make test past 45 minutes.
# network.test.ts boots two VMs (ros and a peer on private links): 3.3 min on a quiet
# machine, 4.8 min on a loaded one. swarm.test.ts boots three VMs at once, then
# two more: 7–9 minutes (413 s, 520 s).
E2E_TESTS   := $(filter-out $(E2E_LONG),$(E2E_ALL))
INT_TESTS   := $(shell find test/integration -name '*.test.ts' 2>/dev/null | sort)

.PHONY: help image release release-image run test test-long test-unit test-integration test-e2e typecheck lint lock clean bench schema deps-build deps-run deps-test boot-loop

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

# Debian packages of the build machine: installed when missing (as root), or
# the one command to run is printed (scripts/ensure-packages says why each).
deps-build deps-run deps-test: deps-%:
	@scripts/ensure-packages $*

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/ros: node_modules/.installed $(SRC) | deps-build ## the ros single binary (Node SEA)
	node scripts/build-sea.mjs

dist/vmlinuz dist/initrd.img dist/ros.iso &: dist/ros $(IMAGE_SRC) | deps-build
	npx tsx initramfs/build.ts

image: dist/vmlinuz dist/initrd.img dist/ros.iso ## kernel, initramfs and the bootable install ISO in dist/

run: deps-run image ## boot ros in QEMU with the serial console on this terminal (ctrl-a x quits)
	$(QEMU) -accel $(QEMU_ACCEL) -m $(QEMU_MEM) -smp $(QEMU_SMP) -nographic \
	  -kernel dist/vmlinuz -initrd dist/initrd.img -append "$(CMDLINE)" \
	  -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:$(SSH_PORT)-:22

# `make release [VERSION=x.y.z] [FROM=older.bundle] [CHANNEL=stable] [NOTES=text]`: a signed
# bundle of that version, built under build/release-<version>/ so dist/vmlinuz, dist/initrd.img
# and dist/ros.iso stay as they are; a signed delta from FROM; the signed channel index
# dist/channel.json (+ .sig) with this release added (README, "Channels and delta bundles").
VERSION     ?= $(shell node -p "require('./package.json').version")
RELEASE_DIR := build/release-$(VERSION)
FROM        ?=
CHANNEL     ?= stable
NOTES       ?=

release: node_modules/.installed | deps-build ## dist/ros-<VERSION>.bundle, the delta from FROM=<bundle>, dist/channel.json (key: ROS_SIGNING_KEY or a dev key in build/signing)
	ROS_VERSION=$(VERSION) ROS_OUT_DIR=$(RELEASE_DIR) node scripts/build-sea.mjs
	ROS_VERSION=$(VERSION) ROS_OUT_DIR=$(RELEASE_DIR) ROS_ISO=0 npx tsx initramfs/build.ts
	npx tsx scripts/release.ts $(VERSION) $(RELEASE_DIR) dist/ros-$(VERSION).bundle --from="$(FROM)" --channel="$(CHANNEL)" --notes="$(NOTES)"

# The image `make image` built (what dist/ros.iso installs), published as a release: a node
# installed from that ISO then runs a version of the channel, the base of deltas.
release-image: image ## dist/ros-<package.json version>.bundle of dist/vmlinuz and dist/initrd.img, added to dist/channel.json
	npx tsx scripts/release.ts $(shell node -p "require('./package.json').version") dist dist/ros-$(shell node -p "require('./package.json').version").bundle --channel="$(CHANNEL)" --notes="$(NOTES)"

typecheck: node_modules/.installed ## tsc --noEmit over src, test and the build
	npx tsc --noEmit -p .

lint: node_modules/.installed ## ESLint (typescript-eslint, type-aware) and knip (code nothing uses)
	npx eslint .
	npx knip

schema: node_modules/.installed ## regenerate src/config/schema.json, docs/cloud-config.md and docs/rancheros-compat.md from the types
	npx tsx scripts/gen-schema.ts

test-unit: node_modules/.installed ## unit tests (milliseconds, no VM)
	node --import tsx --test $(UNIT_TESTS)

test-integration: deps-test image ## the service runner and image loader against a real dockerd on a private socket
	node --import tsx --test --test-concurrency=1 --test-timeout=300000 $(INT_TESTS)

test-e2e: deps-test image ## boots ros in QEMU and checks it like a user
	node --import tsx --test --test-concurrency=1 --test-timeout=1200000 $(E2E_TESTS)

# What needs no image runs while the image builds (its downloads and compression
# overlap the type check, lint and unit tests): CI's 45 minutes are tight.
test: deps-test ## everything CI runs
	$(MAKE) -j2 --output-sync=target typecheck lint test-unit image
	$(MAKE) test-integration test-e2e

test-long: deps-test image ## the slow e2e stories make test leaves out (README, "Tests"): about 50 minutes
	ROS_E2E_LONG=1 node --import tsx --test --test-concurrency=1 --test-timeout=3600000 $(E2E_LONG)

bench: deps-run image ## ros vs a bare-dockerd baseline, N=3 boots each: medians, ratios, targets (build/bench/*.json)
	N=$(or $(N),3) npx tsx bench/boot.ts

boot-loop: deps-run image ## boot N times (N=30), half on a blank disk; report hangs and kernel lockups
	N=$(or $(N),30) npx tsx bench/boot-loop.ts

lock: node_modules/.installed ## re-resolve the pinned Debian 13 package versions (latest security updates)
	npx tsx initramfs/lock.ts

clean: ## remove build outputs (keeps the package cache in build/debs)
	rm -rf dist build/trees build/images build/sea build/tmp
