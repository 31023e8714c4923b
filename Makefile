# lapctl — see README.md. Every target works on a fresh machine with Go.
GO          ?= go
BIN         := bin/lapctl
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X lapctl/version.Version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHTIME   ?= 1x

.PHONY: all build run test race-free bench lint fmt update-golden fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/lapctl

# The main job: the embedded server with demo data, and the console on it.
run: build
	./$(BIN) local --demo

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 12m ./...

# Go benchmarks, then whole-program figures (each beside a baseline
# measured in the same run).
bench: build
	@test -x /usr/sbin/sshd || { echo "make bench measures attach beside OpenSSH: apt-get install -y openssh-server"; exit 1; }
	# -p 1: one package's benchmarks at a time, so none is timed beside another's load.
	$(GO) test -p 1 -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...
	$(GO) run ./bench/attach -bin ./$(BIN)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

update-golden:
	$(GO) test ./tui/ ./forms/ -run . -update

fuzz:
	$(GO) test ./spec/ -run '^$$' -fuzz FuzzAgentSpecValidate -fuzztime 30s
	$(GO) test ./spec/ -run '^$$' -fuzz FuzzEnvKey -fuzztime 15s

clean:
	rm -rf bin
