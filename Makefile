# The two commands of the README: `make run` and `make test`. Both install what they need.
#
#   make run      build everything, then run the n-body example from PHP and from Ruby
#   make test     build everything, clippy, then the engine, PHP and Ruby test suites
#   make bench    the benchmarks (engine vs native, PHP and Ruby vs their pure versions)
#   make install  install the PHP extension (like PECL) and the Ruby gem
#   make deps     only install the system packages
#   make fuzz     differential fuzzing against wasmi for FUZZ_SECONDS (FUZZ_SEED=n: one seed)
#   make memcheck the PHP and Ruby suites under valgrind (tests/memcheck/)

# Debian packages the build needs: PHP and Ruby headers, libclang for the bindings'
# bindgen, clang and wasm-ld to rebuild the C examples to wasm.
APT_PACKAGES := php8.2-cli php8.2-dev ruby ruby-dev clang libclang-dev lld-14 make

.PHONY: all deps build test run bench install lint engine-test php-test ruby-test fuzz memcheck

all: build

deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing packages; run as root:"; \
			echo "  sudo apt-get install -y $$missing"; \
			exit 1; \
		fi; \
	fi
	@command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)"; exit 1; }

build: deps
	cargo build --release -p wasm-engine
	$(MAKE) -C php-ext build
	$(MAKE) -C ruby-gem build

test: build lint engine-test php-test ruby-test

# The engine also denies unsafe operations without an unsafe block and unsafe blocks without a
# SAFETY comment (see engine/src/lib.rs).
lint:
	cargo clippy --release --workspace --all-targets -- -D warnings

engine-test:
	cargo test --release -p wasm-engine
	# The spec suite once more on fuel-metered code, and once on bounds-checked memories.
	WASM_SPEC_FUEL=1 cargo test --release -p wasm-engine --test spec
	WASM_SPEC_MEMORY=dynamic cargo test --release -p wasm-engine --test spec

php-test:
	$(MAKE) -C php-ext test

ruby-test:
	$(MAKE) -C ruby-gem test gem

run: build
	$(MAKE) -C php-ext run
	$(MAKE) -C ruby-gem run

# Differential fuzzing against wasmi for FUZZ_SECONDS (default 300); FUZZ_SEED=n re-runs one
# seed. `make test` runs a fixed sample of 10,000 modules.
fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} cargo test --release -p wasm-engine --test differential

# The PHP and Ruby suites under valgrind's memcheck: any invalid access, use of an
# uninitialised value or (PHP) leak fails. Not part of `make test`: it takes long.
memcheck: build
	@command -v valgrind >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq valgrind >/dev/null; \
		else echo "valgrind not found: sudo apt-get install -y valgrind"; exit 1; fi; }
	$(MAKE) -C php-ext memcheck
	$(MAKE) -C ruby-gem memcheck

bench: build
	cargo bench -p wasm-engine
	$(MAKE) -C php-ext bench
	$(MAKE) -C ruby-gem bench

install: build
	$(MAKE) -C php-ext install
	$(MAKE) -C ruby-gem gem
