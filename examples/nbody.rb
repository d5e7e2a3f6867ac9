# frozen_string_literal: true

# n-body through the gem, then the same steps in pure Ruby, with the speed-up.
#
#   ruby -Iruby-gem/lib examples/nbody.rb [steps]   (make run does this)

require "wasmer"
require_relative "nbody_pure"

steps = Integer(ARGV[0] || 200_000)
instance = Wasmer::Instance.new(File.binread(File.join(__dir__, "nbody.wasm")))
nbody = instance.exports

nbody.init
printf("n-body, %d steps\n", steps)
printf("  energy before:        %.9f\n", nbody.energy)

# The best of 3 runs (each from the initial state): a run takes milliseconds.
energy = nil
wasm_time = Array.new(3) do
  nbody.init
  started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  energy = nbody.step(steps)
  Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
end.min
printf("  wasm (gem):           %.9f in %.3f s (best of 3)\n", energy, wasm_time)

started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
pure_energy = NBodyPure.run(steps)
ruby_time = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
printf("  pure Ruby:            %.9f in %.3f s\n", pure_energy, ruby_time)
printf("  speed-up:             %.1fx\n", ruby_time / wasm_time)
abort "the energies differ" unless (energy - pure_energy).abs < 1e-9
