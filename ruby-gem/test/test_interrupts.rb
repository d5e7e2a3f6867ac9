# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "timeout"

# Wasm that runs long stays stoppable the Ruby way: Timeout, Thread#raise, Thread#kill,
# signals and their handlers, and other threads keep running meanwhile. (The latencies are
# measured by bench/ruby_bench.rb; the bounds here only prove the mechanism, generously.)
class InterruptsTest < Minitest::Test
  SPIN = '(module (func (export "spin") (loop (br 0))) ' \
         '(func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))'

  def setup
    @exports = Wasmer::Instance.new(SPIN).exports
  end

  def elapsed
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield
    Process.clock_gettime(Process::CLOCK_MONOTONIC) - start
  end

  def test_timeout_stops_a_loop_and_the_instance_goes_on
    took = elapsed { assert_raises(Timeout::Error) { Timeout.timeout(0.1) { @exports.spin } } }
    # Under GC.stress Timeout alone takes most of a second.
    assert_operator took, :<, GCStress.on? ? 30 : 2
    assert_equal 3, @exports.add(1, 2)
  end

  def test_thread_raise_and_kill_reach_a_thread_in_wasm
    thread = Thread.new { @exports.spin }
    thread.report_on_exception = false
    sleep 0.05
    thread.raise(ArgumentError, "stop")
    assert_raises(ArgumentError) { thread.join(5) || flunk("Thread#raise did not stop the wasm") }
    thread = Thread.new { @exports.spin }
    sleep 0.05
    thread.kill
    assert thread.join(5), "Thread#kill did not stop the wasm"
    assert_equal 7, @exports.add(3, 4)
  end

  def test_other_threads_run_while_wasm_spins
    count = 0
    counter = Thread.new { loop { count += 1 } }
    # The counter's speed over a window, by the window's real length (the main thread may get
    # the GVL back late).
    speed = lambda do
      from, start = count, Process.clock_gettime(Process::CLOCK_MONOTONIC)
      sleep 0.3
      (count - from) / (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start)
    end
    sleep 0.1
    idle = speed.call
    spinner = Thread.new { @exports.spin }
    sleep 0.1
    busy = speed.call
    spinner.kill.join
    counter.kill
    # The target (half its speed alone) is measured by the bench; here, a margin for busy
    # machines: it must not stand still.
    assert_operator busy, :>=, idle / 20, "the counter ran #{busy.round}/s beside wasm, #{idle.round}/s alone"
  end

  # Signals in a process of their own: Ctrl-C (Interrupt), a trap handler, SIGTERM. A child
  # that hangs is killed and fails the test.
  def child(code, seconds: 60)
    script = "require 'wasmer'; require 'timeout'; $stdout.sync = true; e = Wasmer::Instance.new(#{SPIN.inspect}).exports\n#{code}"
    Open3.popen3(RbConfig.ruby, "-I", File.join(Fixtures::ROOT, "ruby-gem", "lib"), "-e", script) do |stdin, stdout, stderr, wait|
      stdin.close
      unless wait.join(seconds)
        Process.kill(:KILL, wait.pid)
        flunk "the child hung for #{seconds} s:\n#{code}"
      end
      [stdout.read, stderr.read, wait.value]
    end
  end

  def test_signals_reach_the_main_thread_in_wasm
    out, _, status = child(<<~RUBY)
      Thread.new { sleep 0.1; Process.kill("INT", Process.pid) }
      begin
        e.spin
      rescue Interrupt
        puts "Interrupt"
      end
      ran = false
      Signal.trap("USR1") { ran = true }
      Thread.new { sleep 0.1; Process.kill("USR1", Process.pid); sleep 0.1; Thread.main.raise("done") }
      begin
        e.spin
      rescue RuntimeError
        puts "handler ran: \#{ran}"
      end
      puts e.add(1, 1)
      Thread.new { sleep 0.1; Process.kill("TERM", Process.pid) }
      e.spin
    RUBY
    assert_equal "Interrupt\nhandler ran: true\n2\n", out
    assert_equal "TERM", Signal.signame(status.termsig.to_i), "SIGTERM ends the process as by default: #{status.inspect}"
  end

  def test_a_forked_child_can_be_interrupted_too
    skip "no fork here" unless Process.respond_to?(:fork)
    out, _, status = child(<<~RUBY)
      pid = fork do
        f = Wasmer::Instance.new(#{SPIN.inspect}).exports
        Timeout.timeout(0.1) { f.spin } rescue puts("child: \#{$!.class}")
      end
      Process.wait(pid)
    RUBY
    assert status.success?
    assert_equal "child: Timeout::Error\n", out
  end

  def test_a_call_timeout_traps_with_timeout
    exports = Wasmer::Instance.new(SPIN, {}, timeout: 0.05).exports
    took = elapsed do
      e = assert_raises(Wasmer::Trap) { exports.spin }
      assert_equal :timeout, e.code
      assert_match(/\Awasm trap: call timed out \(timeout\)/, e.message)
    end
    assert_operator took, :<, GCStress.on? ? 30 : 5
    assert_equal 5, exports.add(2, 3)
    e = assert_raises(Wasmer::Trap) { Wasmer::Instance.new("(module (func $s (loop (br 0))) (start $s))", {}, timeout: 0.05) }
    assert_equal :timeout, e.code
    [-1, 0, Float::NAN, Float::INFINITY].each do |bad|
      assert_raises(ArgumentError) { Wasmer::Instance.new(SPIN, {}, timeout: bad) }
    end
    assert_raises(TypeError) { Wasmer::Instance.new(SPIN, {}, timeout: "soon") }
  end

  def test_timeout_stops_a_long_compile
    # Timeout's own thread is what GC.stress slows down, not the compile: the comparison of
    # durations means nothing there (the normal pass runs it).
    skip "a timing comparison; GC.stress slows Timeout, not the compile" if GCStress.on?
    sqlite = File.binread(File.join(Fixtures::ROOT, "bench", "sqlite.wasm"))
    # A custom section makes each module new to the cache.
    fresh = ->(tag) { sqlite + "\0#{(tag.size + 1).chr}#{tag.size.chr}#{tag}".b }
    whole = elapsed { Wasmer::Module.new(fresh.call("whole #{rand}")) }
    cut = elapsed do
      assert_raises(Timeout::Error) { Timeout.timeout(0.02) { Wasmer::Module.new(fresh.call("cut #{rand}")) } }
    end
    assert_operator cut, :<, whole, "the compile ran to its end (#{cut} s, a whole one takes #{whole} s)"
    assert_instance_of Wasmer::Module, Wasmer::Module.new(fresh.call("again #{rand}"))
  end
end
