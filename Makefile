# One entry point for building and testing Murmur from a fresh clone.
# `make test` is the whole suite: it installs the pinned Solidity toolchain
# (npm), checks formatting and gas snapshots, runs the Foundry unit, fuzz
# and invariant tests, go vet, and the Go tests (which include the bindings
# staleness check and the contracts on a simulated chain).

FORGE := ./node_modules/.bin/forge
GO    ?= go

.PHONY: test deps contracts-test go-test fmt-check generate snapshot build devnet fuzz web chromium soak

test: deps fmt-check contracts-test go-test

deps: node_modules/.installed web/node_modules/.installed chromium

# Not `npm ci`: Foundry's wrapper packages name optional per-platform packages
# that the registry does not have (e.g. forge-darwin-amd64@1.7.1), which npm ci
# reads as a lockfile out of sync. `npm install` installs exactly the locked
# versions, checks their integrity hashes and leaves the lockfile unchanged.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	touch $@

# Headless Chromium for the browser client's test (go test ./web): Debian's
# package, installed if missing and we may; otherwise the test is skipped
# with a loud message (CI sets MURMUR_BROWSER_REQUIRED, which fails it).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	{ echo "installing Chromium for the browser test (apt-get install chromium)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	  echo "*** NO BROWSER: Chromium could not be installed; the browser client's test will be skipped ***"; }

# The browser client's JavaScript dependencies (js-libp2p; ws for Node.js 20).
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm install --no-audit --no-fund
	touch $@

fmt-check: deps
	$(FORGE) fmt --check
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Gas is checked against the committed figures: the vm.snapshotGas* values in
# contracts/snapshots (written by forge test) and the per-test snapshot in
# contracts/.gas-snapshot. Both are compared with diff because forge 1.7's
# `snapshot --check` and FORGE_SNAPSHOT_CHECK print a mismatch but exit 0.
# Fuzz and invariant tests are left out of the per-test snapshot: their mean
# gas moves between runs even with a fixed seed.
SNAPSHOT_FLAGS := --no-match-test 'testFuzz|invariant'

contracts-test: deps
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	cp -r contracts/snapshots "$$tmp/committed" && \
	$(FORGE) test && \
	diff -ru "$$tmp/committed" contracts/snapshots && \
	$(FORGE) snapshot --snap "$$tmp/gas-snapshot" $(SNAPSHOT_FLAGS) > /dev/null && \
	diff -u contracts/.gas-snapshot "$$tmp/gas-snapshot" && \
	cp -r "$$tmp/committed/." contracts/snapshots/ && \
	echo "gas snapshots match"

go-test: deps
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./web/wasm
	$(GO) test -timeout 15m ./...

# Every Go fuzz target, FUZZTIME each (`make fuzz FUZZTIME=10m` for a long
# run). `make test` runs their seed corpora only, as unit tests.
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

# Regenerate the bindings and the gas snapshots after changing contracts/src.
generate: deps
	$(GO) generate ./bindings/...

snapshot: deps
	$(FORGE) test
	$(FORGE) snapshot --snap contracts/.gas-snapshot $(SNAPSHOT_FLAGS)

build:
	$(GO) build -o murmur ./cmd/murmur

devnet:
	$(GO) run ./cmd/murmur devnet

# The browser client (web/README.md), in web/dist: murmur.wasm, the
# wasm_exec.js of the Go that built it, and the demo page with its bundle.
web: deps
	mkdir -p web/dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/dist/murmur.wasm ./web/wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" web/dist/
	cd web && ./node_modules/.bin/esbuild demo/demo.js --bundle --minify --format=esm --platform=browser --outfile=dist/demo.js
	cp web/demo/index.html web/dist/

# The soak test (test/soak_test.go, not part of make test): 20 relay
# processes and 50 clients on anvil for SOAKTIME with cover, payments and
# random mix restarts; its report goes to docs/perf.md by hand.
SOAKTIME ?= 30m
soak: deps
	MURMUR_SOAK=$(SOAKTIME) $(GO) test ./test -run '^TestSoak$$' -count=1 -v -timeout 120m
