# One entry point for building and testing Murmur from a fresh clone.
# `make test` is the whole suite: it installs the pinned Solidity toolchain
# (npm), checks formatting and gas snapshots, runs the Foundry unit, fuzz
# and invariant tests, go vet, and the Go tests (which include the bindings
# staleness check and the contracts on a simulated chain).

FORGE := ./node_modules/.bin/forge
GO    ?= go

.PHONY: test deps contracts-test go-test fmt-check generate snapshot build devnet

test: deps fmt-check contracts-test go-test

deps: node_modules/.installed

# Not `npm ci`: Foundry's wrapper packages name optional per-platform packages
# that the registry does not have (e.g. forge-darwin-amd64@1.7.1), which npm ci
# reads as a lockfile out of sync. `npm install` installs exactly the locked
# versions, checks their integrity hashes and leaves the lockfile unchanged.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	touch $@

fmt-check: deps
	$(FORGE) fmt --check
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# FORGE_SNAPSHOT_CHECK makes the vm.snapshotGas* values in contracts/snapshots
# fail the run when they differ from the committed ones.
contracts-test: deps
	FORGE_SNAPSHOT_CHECK=true $(FORGE) test
	$(FORGE) snapshot --check contracts/.gas-snapshot

go-test: deps
	$(GO) vet ./...
	$(GO) test ./...

# Regenerate the bindings and the gas snapshots after changing contracts/src.
generate: deps
	$(GO) generate ./bindings/...

snapshot: deps
	$(FORGE) test
	$(FORGE) snapshot --snap contracts/.gas-snapshot

build:
	$(GO) build -o murmur ./cmd/murmur

devnet:
	$(GO) run ./cmd/murmur devnet
