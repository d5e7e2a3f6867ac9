# frozen_string_literal: true

require "minitest/autorun"
require "pathname"
require "wasmer"

# Paths of the shared fixtures (tests/fixtures/*.wat, encoded to .wasm) and the examples.
module Fixtures
  ROOT = File.expand_path("../..", __dir__)

  def self.bytes(name)
    path = [File.join(ROOT, "tests", "fixtures", "#{name}.wasm"),
            File.join(ROOT, "examples", "#{name}.wasm")].find { |p| File.exist?(p) }
    raise "no fixture #{name}" unless path

    File.binread(path)
  end

  def self.module(name)
    @modules ||= {}
    @modules[name] ||= Wasmer::Module.new(bytes(name))
  end
end

# WASMER_GC_STRESS=1 runs each test with GC.stress on (the setup and teardown of minitest
# itself run without it, to keep the run short).
module GCStress
  STRESS = ENV["WASMER_GC_STRESS"] == "1"

  def self.on? = STRESS

  def before_setup
    super
    GC.stress = true if STRESS
  end

  def after_teardown
    GC.stress = false if STRESS
    super
  end
end

module Minitest
  class Test
    include GCStress

    # Fewer iterations under GC stress, where every allocation runs the GC.
    def iterations(normal, stressed = 50)
      GCStress.on? ? stressed : normal
    end
  end
end
