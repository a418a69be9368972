# Two commands on a fresh Debian machine: `make run` and `make test`.
SWIFT ?= swift
SWIFTC ?= swiftc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps browser postgres release bench fuzz clean

deps:
	@if ! pkg-config --exists libedit libpq jemalloc 2>/dev/null; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "sagalab needs libedit-dev (line editing, history, TAB completion), libpq-dev (the bridge's PostgreSQL client) and libjemalloc-dev (its memory allocator); installing them with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev libpq-dev libjemalloc-dev pkg-config; \
	  else \
	    echo "error: libedit, libpq or jemalloc is missing and apt-get is not available; install libedit, libpq, jemalloc (and pkg-config) with your package manager" >&2; \
	    exit 1; \
	  fi; \
	fi

# For `sagalab bridge` and its tests: Debian's PostgreSQL server (initdb, pg_ctl, postgres).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "the bridge tests need PostgreSQL's server; installing Debian's postgresql with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else \
	    echo "error: PostgreSQL is missing and apt-get is not available; install its server with your package manager for the bridge" >&2; \
	    exit 1; \
	  fi; \
	fi

# Only for `make test`: the browser test of `export html` opens the page in headless Chromium.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "the browser test of export html needs chromium (headless, for make test only); installing it with apt-get"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "error: chromium is missing and apt-get is not available; install chromium with your package manager for the browser test" >&2; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

run: build
	@$(SWIFT) run --skip-build sagalab

# The debug binary is built once with the tests: a plain `swift build` first would compile
# every module a second time, without testability (80 to 100 s of CI on 2 cores). The release
# binary, whose kernel counts references without atomics (Package.swift), is built from the
# start beside the debug build and the tests, in a scratch path of its own (SwiftPM builds one
# thing at a time in a scratch path): its whole-module type-checking keeps one core busy for
# minutes, which the debug work fills. Its log is shown when it fails.
TEST_RELEASE := .build/test-release
CHECKED := Tests/Transcripts/*.txt Tests/Transcripts/lessons/*.txt handbook/*.md README.md lessons/*.md
test: deps browser postgres
	@mkdir -p .build
	@echo "building the release binary in $(TEST_RELEASE) beside the debug build and the tests"
	@$(SWIFT) build -c release --static-swift-stdlib --scratch-path $(TEST_RELEASE) > $(TEST_RELEASE).log 2>&1 & release=$$!; \
	  status=0; \
	  { $(SWIFT) build --build-tests \
	    && bin="$$($(SWIFT) build --show-bin-path)" \
	    && $(SWIFT) test --skip-build \
	    && bash Tests/cli-smoke.sh "$$bin/sagalab" \
	    && bash Tests/bridge-test.sh "$$bin/sagalab" \
	    && echo "checking transcripts and lessons with the sagalab binary" \
	    && "$$bin/sagalab" check $(CHECKED); } || status=$$?; \
	  if [ $$status -ne 0 ]; then kill $$release 2>/dev/null; wait $$release 2>/dev/null; exit $$status; fi; \
	  if ! wait $$release; then cat $(TEST_RELEASE).log; echo "the release build failed" >&2; exit 1; fi; \
	  tail -n 1 $(TEST_RELEASE).log
	@echo "and with the release binary, whose kernel counts references without atomics (Package.swift)"
	@$(TEST_RELEASE)/release/sagalab check $(CHECKED)
	@bash Tests/cli-smoke.sh $(TEST_RELEASE)/release/sagalab

# The Swift runtime and Foundation linked in statically: a bigger binary, but the loader has
# no Swift library to map and bind, which halves the time to the first prompt.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# SagaLab beside a SimPy model of the same saga (Benchmarks/kafka_shop.py), then the speed targets.
bench: release
	@python3 -c 'import simpy' 2>/dev/null || { echo "installing simpy 4.1.2 with pip"; \
	  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet simpy==4.1.2; }
	python3 Benchmarks/bench.py --sagalab "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/sagalab"

# Coverage-guided fuzzing of the command language (libFuzzer, one job): SagaKernel, SagaLab
# and Lessons built for coverage in .build/fuzz, apart from the normal build, then linked
# with Tests/Fuzz/FuzzTarget.swift. Seeds come from the transcripts and the handbook; the
# corpus it grows stays in .build/fuzz/corpus. Not part of `make test` (see README, Fuzzing).
FUZZ := .build/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_MAX_LEN ?= 128
fuzz:
	$(SWIFT) build -c release --scratch-path $(FUZZ) --target Lessons -Xswiftc -sanitize=fuzzer
	$(SWIFTC) -O -sanitize=fuzzer -parse-as-library -I $(FUZZ)/release/Modules -I Sources/CPrefetch -I Sources/CPrefault/include Tests/Fuzz/FuzzTarget.swift \
	  $(FUZZ)/release/CPrefault.build/*.o $(FUZZ)/release/SagaKernel.build/*.o $(FUZZ)/release/SagaLab.build/*.o $(FUZZ)/release/Lessons.build/*.o \
	  -o $(FUZZ)/sagalab-fuzz
	@bash Tests/Fuzz/seeds.sh $(FUZZ)/seeds
	@mkdir -p $(FUZZ)/corpus
	SWIFT_BACKTRACE=enable=no $(FUZZ)/sagalab-fuzz $(FUZZ)/corpus $(FUZZ)/seeds -dict=$(FUZZ)/seeds.dict \
	  -runs=$(FUZZ_RUNS) -max_len=$(FUZZ_MAX_LEN) -timeout=30 -artifact_prefix=$(FUZZ)/ -print_final_stats=1

clean:
	rm -rf .build
