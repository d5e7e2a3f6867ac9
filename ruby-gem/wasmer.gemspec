# frozen_string_literal: true

require_relative "lib/wasmer/version"

Gem::Specification.new do |spec|
  spec.name = "wasmer"
  spec.version = Wasmer::VERSION
  spec.summary = "Run WebAssembly modules from Ruby, compiled to native code"
  spec.description = <<~TEXT
    Wasmer::Instance runs WebAssembly 2.0 modules in-process: exports are Ruby methods,
    imports are Procs, lambdas or Methods, memories have typed views. The engine compiles
    wasm to native code with Cranelift; the extension is Rust, built with cargo on install.
  TEXT
  spec.authors = ["The wasm runtime authors"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.0"
  spec.files = Dir[
    "README.md", "LICENSE", "CHANGELOG.md", "lib/**/*.rb", "sig/**/*.rbs",
    "ext/Cargo.toml", "ext/Cargo.lock",
    "ext/wasmer/extconf.rb", "ext/wasmer/Cargo.toml", "ext/wasmer/src/**/*.rs",
    "ext/engine/Cargo.toml", "ext/engine/build.rs", "ext/engine/src/**/*.{rs,c}"
  ]
  spec.require_paths = ["lib"]
  spec.extensions = ["ext/wasmer/extconf.rb"]
  spec.metadata["rubygems_mfa_required"] = "true"
  # Home, source and changelog are the public repository the gem is built from (its git
  # remote `origin`, as https); a gem built from a checkout without one has none.
  origin = `git -C #{__dir__.inspect} remote get-url origin 2>/dev/null`.strip
  home = origin[%r{\Ahttps://[^\s@]+?(?=(\.git)?\z)}] ||
         origin.match(%r{\A(?:ssh://)?git@([^:/]+)[:/](\S+?)(\.git)?\z}) { |m| "https://#{m[1]}/#{m[2]}" }
  if home
    spec.homepage = home
    spec.metadata["source_code_uri"] = home
    spec.metadata["changelog_uri"] = "#{home}/blob/main/CHANGELOG.md"
  end

  # WASMER_NATIVE_GEM=1 (make gem, from pkg/native): a platform gem with the extension built
  # in, for machines with no Rust toolchain; it fits the Ruby it was built for only.
  if ENV["WASMER_NATIVE_GEM"] == "1"
    spec.platform = Gem::Platform.local
    spec.extensions = []
    spec.files = Dir["README.md", "LICENSE", "CHANGELOG.md", "lib/**/*.rb", "lib/wasmer/wasmer.so", "sig/**/*.rbs"]
    minor = RUBY_VERSION[/\A\d+\.\d+/]
    spec.required_ruby_version = ">= #{minor}", "< #{minor}.99"
  end
end
