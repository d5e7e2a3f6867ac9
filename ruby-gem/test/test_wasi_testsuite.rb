# frozen_string_literal: true

require_relative "test_helper"
require "fileutils"
require "json"
require "tmpdir"

# The official WASI test suite through Wasmer::Wasi, by the suite's rules: args, env, a fresh
# copy of the test's directory preopened as "/", the exit status and stdout. All 72 programs
# (C, Rust, AssemblyScript); under GC.stress, the AssemblyScript ones.
class WasiTestsuiteTest < Minitest::Test
  SUITE = ENV.fetch("WASI_TESTSUITE") { File.join(Fixtures::ROOT, "..", "shared", "wasi-testsuite") }

  def programs
    langs = GCStress.on? ? %w[assemblyscript] : %w[assemblyscript c rust]
    langs.flat_map { |lang| Dir[File.join(SUITE, lang, "*.wasm")].sort }
  end

  # Copies the test's directory, writable (the suite's copy is read-only).
  def copy_tree(from, to)
    FileUtils.cp_r(from, to, preserve: false)
    FileUtils.chmod_R("u+w", to)
  end

  def run_one(wasm)
    name = File.basename(wasm, ".wasm")
    spec_path = wasm.sub(/\.wasm\z/, ".json")
    spec = File.exist?(spec_path) ? JSON.parse(File.read(spec_path)) : {}
    Dir.mktmpdir("wasi-ruby") do |scratch|
      preopens = {}
      if spec["root"]
        root = File.join(scratch, spec["root"])
        copy_tree(File.join(File.dirname(wasm), spec["root"]), root)
        preopens["/"] = root
      end
      wasi = Wasmer::Wasi.new(args: ["#{name}.wasm", *spec.fetch("args", [])], env: spec.fetch("env", {}),
                              preopens: preopens)
      status = wasi.run(Pathname.new(wasm))
      expected = spec.fetch("exit_code", 0)
      return "exit status #{status}, expected #{expected}; stderr: #{wasi.stderr}" unless status == expected
      return "stdout #{wasi.stdout.inspect}" if spec["stdout"] && wasi.stdout != spec["stdout"]
    end
    nil
  rescue StandardError => e
    "#{e.class}: #{e.message}"
  end

  def test_the_suite
    programs = self.programs
    assert_operator programs.size, :>=, GCStress.on? ? 12 : 72, "the WASI test suite is missing at #{SUITE}"
    failures = programs.filter_map do |wasm|
      why = run_one(wasm)
      "#{File.basename(File.dirname(wasm))}/#{File.basename(wasm, '.wasm')}: #{why}" if why
    end
    puts "\nwasi testsuite (wasip1) from Ruby: #{programs.size - failures.size} passed, #{failures.size} failed of #{programs.size}"
    assert_empty failures, failures.join("\n")
  end
end
