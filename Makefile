# Kassa: two commands for a newcomer, `make run` and `make test`. Both install what the machine lacks first.
GO        ?= go
TAGS      := migrated_fynedo
DEMO_DIR  ?= .kassa-demo
FYNE      := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
export LANG := ru_RU.UTF-8

.PHONY: run test e2e bench package deps deps-test build

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
	$(GO) test -tags $(TAGS) -race -count=1 ./...

## e2e: the real window under Xvfb, typed into by xdotool like a keyboard-wedge scanner; screenshots in e2e/out
e2e: deps-test
	$(GO) build -tags $(TAGS) -o bin/ ./cmd/kassa ./cmd/kassahub
	KASSA_E2E_BIN=$(CURDIR)/bin $(GO) test -tags 'e2e $(TAGS)' -count=1 -v -timeout 10m ./e2e/

## bench: the performance budgets of DESIGN.md; figures go to the README
bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -timeout 30m ./...

## package: the Linux package (Kassa.tar.xz: binary, icon, .desktop file, Makefile to install) made by the fyne tool
package: deps
	cd cmd/kassa && $(FYNE) package -os linux --tags $(TAGS) --release
	mv cmd/kassa/Kassa.tar.xz .
