# frozen_string_literal: true

# The Ruby gem's benchmark (make bench; not a timed test): in one run,
#   1. n-body through the gem against the same steps in pure Ruby (target: >= 60x faster);
#   2. the cost of instance.exports.sum(i, 1) against a plain Ruby method call
#      (target: <= 2.5x; wasmtime-rb pays about 8x);
#   3. instantiating a module with 3,000 exports against sum.wasm: the cost per export
#      (target: <= 50 ns, the engine's own work per function; the gem's waits for first use);
#   4. stopping wasm that runs long, and other threads beside it.
#
#   ruby -Iruby-gem/lib bench/ruby_bench.rb

require "wasmer"
require_relative "../examples/nbody_pure"

EXAMPLES = File.expand_path("../examples", __dir__)

def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

# The best of `runs` timings of the block, in seconds.
def best(runs)
  Array.new(runs) do
    t = now
    yield
    now - t
  end.min
end

puts "Ruby #{RUBY_VERSION}, gem wasmer #{Wasmer::VERSION}"

# 1. n-body.
steps = Integer(ENV.fetch("NBODY_STEPS", 200_000))
nbody = Wasmer::Instance.new(File.binread(File.join(EXAMPLES, "nbody.wasm"))).exports
wasm_energy = nil
wasm = best(5) do
  nbody.init
  wasm_energy = nbody.step(steps)
end
ruby_energy = nil
ruby = best(2) { ruby_energy = NBodyPure.run(steps) }
raise "energies differ: #{wasm_energy} vs #{ruby_energy}" unless (wasm_energy - ruby_energy).abs < 1e-9

speedup = ruby / wasm
puts
puts "n-body, #{steps} steps (energy #{format('%.9f', wasm_energy)})"
printf("  gem:        %8.3f ms\n", wasm * 1e3)
printf("  pure Ruby:  %8.3f ms\n", ruby * 1e3)
printf("  speed-up:   %8.1fx   (target >= 60x: %s)\n", speedup, speedup >= 60 ? "met" : "NOT met")

# 2. The cost of a call.
class Plain
  def sum(a, b) = a + b
end

instance = Wasmer::Instance.new(File.binread(File.join(EXAMPLES, "sum.wasm")))
exports = instance.exports
sum_function = exports[:sum]
plain = Plain.new
n = Integer(ENV.fetch("CALLS", 2_000_000))

# The same while loop around each call; the best of several runs.
empty = best(5) { i = 0; i += 1 while i < n }
ruby_call = best(5) do
  i = 0
  while i < n
    plain.sum(i, 1)
    i += 1
  end
end
export_call = best(5) do
  i = 0
  while i < n
    exports.sum(i, 1)
    i += 1
  end
end
function_call = best(5) do
  i = 0
  while i < n
    sum_function.call(i, 1)
    i += 1
  end
end
host = Wasmer::Instance.new(File.binread(File.join(EXAMPLES, "imports.wasm")),
                            { "env" => { "add" => ->(a, b) { a + b }, "log_number" => ->(_) {} } })
m = n / 4
import_call = best(3) do
  i = 0
  while i < m
    host.exports.run(i)
    i += 1
  end
end
# On a Fiber, each import call also holds its store entry in an object the GC can free
# should the Fiber be abandoned there.
fiber_import_call = best(3) do
  Fiber.new do
    i = 0
    while i < m
      host.exports.run(i)
      i += 1
    end
  end.resume
end

ns = ->(t, count = n) { t / count * 1e9 }
ratio = export_call / ruby_call
puts
puts "call cost, #{n} calls in a while loop (best of 5)"
printf("  plain Ruby method obj.sum(i, 1):     %6.1f ns/call\n", ns.(ruby_call))
printf("  exports.sum(i, 1):                   %6.1f ns/call\n", ns.(export_call))
printf("  exports[:sum].call(i, 1):            %6.1f ns/call\n", ns.(function_call))
printf("  run(i) calling 2 Ruby lambdas:       %6.1f ns/call\n", ns.(import_call, m))
printf("  the same on a Fiber:                 %6.1f ns/call\n", ns.(fiber_import_call, m))
printf("  empty loop:                          %6.1f ns/iteration\n", ns.(empty))
printf("  exports.sum / Ruby method:           %6.2fx   (target <= 2.5x: %s)\n",
       ratio, ratio <= 2.5 ? "met" : "NOT met")
printf("  the same without the loop's own cost: %5.2fx\n", (export_call - empty) / (ruby_call - empty))

# 3. Instantiation against the number of exports: the engine's own work per function
# remains, the gem's is made on first use.
many = Wasmer::Module.new("(module (memory (export \"memory\") 1) " +
                          (0...3000).map { |i| "(func (export \"f#{i}\") (result i32) i32.const #{i})" }.join(" ") + ")")
one = Wasmer::Module.new(File.binread(File.join(EXAMPLES, "sum.wasm")))
instantiate = ->(mod, k) { best(5) { k.times { Wasmer::Instance.new(mod) } } / k }
many_cost = instantiate.(many, 200)
one_cost = instantiate.(one, 2000)
puts
puts "instantiation"
printf("  3,000 exports:  %8.1f us\n", many_cost * 1e6)
printf("  sum.wasm:       %8.1f us\n", one_cost * 1e6)
per_export = (many_cost - one_cost) / 3000
printf("  per export:     %8.1f ns   (target <= 50 ns: %s)\n", per_export * 1e9, per_export <= 50e-9 ? "met" : "NOT met")

# 4. Stopping wasm that runs long, and other threads beside it (helpers/safepoints.rs).
require "timeout"
spin = Wasmer::Instance.new('(module (func (export "spin") (loop (br 0))))').exports
clock = -> { Process.clock_gettime(Process::CLOCK_MONOTONIC) }
timeouts = 5.times.map do
  start = clock.()
  begin
    Timeout.timeout(0.1) { spin.spin }
  rescue Timeout::Error
    nil
  end
  clock.() - start - 0.1
end
raises = 5.times.map do
  thread = Thread.new { spin.spin }
  thread.report_on_exception = false
  sleep 0.02
  start = clock.()
  thread.raise("stop")
  begin
    thread.join
  rescue RuntimeError
    nil
  end
  clock.() - start
end
count = 0
counter = Thread.new { loop { count += 1 } }
sleep 0.1
idle = count
sleep 0.5
idle = count - idle
spinner = Thread.new { spin.spin }
sleep 0.1
busy = count
sleep 0.5
busy = count - busy
spinner.kill.join
counter.kill
puts
puts "wasm spinning in a loop"
printf("  Timeout.timeout(0.1) raises after the deadline by: %5.1f ms (worst of 5; target <= 50 ms)\n", timeouts.max * 1e3)
printf("  Thread#raise on a thread in wasm takes effect in:  %5.1f ms (worst of 5; target <= 50 ms)\n", raises.max * 1e3)
printf("  a counter thread beside it runs at %.0f%% of its speed alone (target >= 50%%)\n", 100.0 * busy / idle)
