# Parley's one entry point for building and testing. `make test` is what CI
# runs (.ci/run): it installs the test tools, then vets, tests and fuzzes.

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/parleybot/parley/cli.version=$(VERSION)
FUZZTIME  ?= 5s
export NODE_PATH := $(CURDIR)/.tools/node/node_modules

.PHONY: all build test test-deps vet unit fuzz bench bench-nlu bench-load clean lambda

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/parley ./cmd/parley

test: test-deps vet unit fuzz

test-deps:
	./scripts/test-deps.sh

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -timeout 15m ./...

fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

bench:
	mkdir -p bench/out
	$(GO) test -run='^$$' -bench=. -benchmem -count=5 ./... | tee bench/out/go-bench.txt
	./bench/recognize.sh

# The NLU benchmark table of benchmarks.md §8 on the shared datasets (test
# splits); the figures and every run's report go to bench/out/nlu.
bench-nlu:
	$(GO) run ./bench/nlu/convert -data ../shared/nlu -out bench/out/nlu
	$(GO) run ./bench/nlu/run -out bench/out/nlu
# NLP.js side by side (bench/nlu/nlpjs) goes on the next line.
	$(GO) run ./bench/nlu/nlpjs/compare -out bench/out/nlu

# Open-loop load on a throwaway server (bench/load.sh, bench/load): STORE
# sqlite, redis or memory; RATE turns/s; DURATION; MODE lex, chat or mixed.
bench-load:
	BOT=$(BOT) ./bench/load.sh $(or $(STORE),sqlite) $(or $(RATE),100) $(or $(DURATION),1m) $(or $(MODE),mixed)

# The AWS Lambda package: bootstrap (provided.al2023, arm64 unless
# LAMBDA_ARCH=x86_64/amd64) and the bot BOT (a folder) as bot/ beside it,
# which bootstrap serves unless PARLEY_BOTS says otherwise. See deploy/sam.
BOT         ?= examples/hello
LAMBDA_ARCH ?= arm64

lambda:
	rm -rf dist/lambda dist/parley-lambda.zip
	mkdir -p dist/lambda
	CGO_ENABLED=0 GOOS=linux GOARCH=$(subst x86_64,amd64,$(LAMBDA_ARCH)) $(GO) build -trimpath -tags lambda.norpc -ldflags '$(LDFLAGS)' -o dist/lambda/bootstrap ./cmd/parley
	cp -R $(BOT) dist/lambda/bot
	cd dist/lambda && zip -qr -X ../parley-lambda.zip bootstrap bot
	@ls -l dist/parley-lambda.zip

clean:
	rm -rf bin .tools dist
