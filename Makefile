# Kassa: two commands for a newcomer, `make run` and `make test`. Both install what the machine lacks first.
GO        ?= go
TAGS      := migrated_fynedo
DEMO_DIR  ?= .kassa-demo
FYNE      := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
export LANG := ru_RU.UTF-8

.PHONY: run test e2e bench bench-hub package deps deps-test build fuzz torture soak

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

build: deps
	$(GO) build -tags $(TAGS) -o bin/ ./cmd/...

## run: the till in demo mode (embedded store, emulated ККТ and printer, embedded hub) in $(DEMO_DIR)
run: deps
	$(GO) run -tags $(TAGS) ./cmd/kassa --demo --data $(DEMO_DIR)

## test: vet and every unit, integration and headless UI test, with the race detector
test: deps-test
	$(GO) vet -tags $(TAGS) ./...
	scripts/pg.sh run $(GO) test -tags $(TAGS) -race -count=1 ./...

## e2e: the real window under Xvfb, typed into by xdotool like a keyboard-wedge scanner; screenshots in e2e/out
e2e: deps-test
	$(GO) build -tags $(TAGS) -o bin/ ./cmd/kassa ./cmd/kassahub
	KASSA_E2E_BIN=$(CURDIR)/bin $(GO) test -tags 'e2e $(TAGS)' -count=1 -v -timeout 10m ./e2e/

## fuzz: every fuzz target, one after another, FUZZTIME each (default 30s); `make test` runs only their seeds
FUZZTIME ?= 30s
fuzz: deps
	FUZZTIME=$(FUZZTIME) TAGS=$(TAGS) scripts/fuzz.sh

## torture: SIGKILL the till at random moments of sales, refunds, shift closes and replay, TORTURE times
TORTURE ?= 1000
torture: deps-test
	KASSA_TORTURE=$(TORTURE) $(GO) test -tags $(TAGS) -count=1 -v -timeout 6h -run '^TestTorture$$' ./cmd/kassa/internal/terminal/

## soak: a trading day compressed: 4 terminals, 10,000 sales, a flaky network, ККТ faults, Z reports
soak: deps-test
	$(GO) test -tags 'soak $(TAGS)' -count=1 -v -timeout 3h ./e2e/soak/

## bench-hub: 200 simulated terminals replaying to two hub instances on PostgreSQL, and to the bbolt hub
bench-hub: deps-test
	scripts/pg.sh run $(GO) test -tags $(TAGS) -run '^$$' -bench 'BenchmarkFleet' -benchtime 1x -timeout 30m -v ./sync/hub/pgstore/

## bench: the performance budgets of DESIGN.md; figures go to the README
bench: deps
	scripts/pg.sh run $(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -timeout 30m ./...

## package: the Linux package (Kassa.tar.xz: binary, icon, .desktop file, Makefile to install) made by the fyne tool
package: deps
	cd cmd/kassa && $(FYNE) package -os linux --tags $(TAGS) --release
	mv cmd/kassa/Kassa.tar.xz .
