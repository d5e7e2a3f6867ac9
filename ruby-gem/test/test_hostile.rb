# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "rbconfig"
require "timeout"

# Cases that used to crash or hang the process. Each runs in a child Ruby, so that a
# crash is a failed test rather than a lost suite, and a hang a timeout.
class HostileTest < Minitest::Test
  LIB = File.join(Fixtures::ROOT, "ruby-gem", "lib")

  # Runs `code` in a child process (with `wasmer` loaded) and returns its stdout; fails on a
  # crash, a nonzero exit or `seconds` without an answer.
  def child(code, seconds: 30, env: {})
    script = "require 'wasmer'\n#{code}"
    out = err = status = nil
    Open3.popen3(env, RbConfig.ruby, "-I", LIB, "-e", script) do |stdin, stdout, stderr, wait|
      stdin.close
      unless wait.join(seconds)
        Process.kill(:KILL, wait.pid)
        flunk "the child hung for #{seconds} s:\n#{code}"
      end
      out = stdout.read
      err = stderr.read
      status = wait.value
    end
    assert status.success?, "the child failed (#{status}):\n#{err}"
    out
  end

  EMPTY_EXPORT = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 4, 1, 0, 0, 0,
                  10, 6, 1, 4, 0, 65, 5, 11].pack("C*") # (func (export "") (result i32) i32.const 5)

  def test_an_export_named_with_the_empty_string
    out = child(<<~RUBY)
      i = Wasmer::Instance.new(#{EMPTY_EXPORT.inspect}.b)
      p i.exports[""].call, i.exports.names, i.exports.public_send(:"")
    RUBY
    assert_equal "5\n[\"\"]\n5\n", out
  end

  def test_export_objects_survive_gc_compaction
    out = child(<<~RUBY, seconds: 120)
      i = Wasmer::Instance.new(File.binread(#{File.join(Fixtures::ROOT, 'examples', 'memory.wasm').inspect}))
      Array.new(20_000) { "s" }
      GC.compact
      p i.memory.class, i.exports[:greet].class, i.exports.memory.class
      GC.verify_compaction_references(toward: :empty, double_heap: true)
      p i.memory.size, i.exports.greet
      GC.auto_compact = true
      5.times { Array.new(20_000) { "x" * 10 }; GC.start }
      p i.memory.class, i.exports[:greet].class
    RUBY
    assert_equal "Wasmer::Memory\nWasmer::Function\nWasmer::Memory\n131072\n1024\nWasmer::Memory\nWasmer::Function\n", out
  end

  # Objects wasm holds as externref (kept in the store's table, where an object given again
  # finds its entry by address) come back as the same objects after compaction.
  def test_externrefs_survive_gc_compaction
    out = child(<<~RUBY, seconds: 120)
      i = Wasmer::Instance.new('(module (global (export "g") (mut externref) (ref.null extern))
        (func (export "id") (param externref) (result externref) local.get 0))')
      objects = Array.new(2000) { |n| "object \#{n}" }
      objects.each { |o| i.exports.id(o) }
      i.exports.g.value = objects[7]
      Array.new(20_000) { "s" }
      GC.compact
      GC.verify_compaction_references(toward: :empty, double_heap: true)
      p objects.each_with_index.all? { |o, n| i.exports.id(o).equal?(o) && o == "object \#{n}" },
        i.exports.g.value.equal?(objects[7])
    RUBY
    assert_equal "true\ntrue\n", out
  end

  def test_threads_making_their_first_instances_at_once
    3.times do
      out = child(<<~RUBY, seconds: 20)
        b = File.binread(#{File.join(Fixtures::ROOT, 'examples', 'sum.wasm').inspect})
        p 4.times.map { Thread.new { Wasmer::Instance.new(b).exports.sum(1, 2) } }.map(&:value)
      RUBY
      assert_equal "[3, 3, 3, 3]\n", out
    end
  end

  # A fork while another thread is inside an import: in the child that thread does not exist,
  # and the instance must not wait for it forever.
  def test_a_forked_child_can_use_an_instance_another_thread_was_inside
    out = child(<<~RUBY, seconds: 30)
      wat = '(module (import "env" "wait" (func $wait)) (func (export "run") call $wait)
             (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
      entered = Queue.new
      release = Queue.new
      i = Wasmer::Instance.new(wat, { "env" => { "wait" => -> { entered << 1; release.pop; nil } } })
      inside = Thread.new { i.exports.run }
      entered.pop
      pid = fork { exit!(i.exports.add(2, 3) == 5 ? 0 : 1) }
      Process.wait(pid)
      release << 1
      inside.join
      p $?.exitstatus, i.exports.add(1, 2)
    RUBY
    assert_equal "0\n3\n", out
  end

  # Fibers and an Enumerator left suspended inside an import, never resumed: on a thread that
  # goes on, on one that ended, and under a call timeout whose deadline passes meanwhile. Once
  # the GC collects them, other threads use the instance again (before, they waited for
  # ever), the passed deadline does not stop the next call, and the Caller an abandoned import
  # was given refuses use. (A thread keeps the last Fiber
  # it resumed until it resumes another: the live thread resumes one more.)
  def test_fibers_abandoned_inside_an_import_release_the_instance
    out = child(<<~RUBY, seconds: 60)
      require "timeout"
      wat = '(module (import "env" "wait" (func $wait)) (global $g (mut i32) (i32.const 0))
             (func (export "run") call $wait)
             (func (export "bump") (result i32)
               (global.set $g (i32.add (global.get $g) (i32.const 1))) global.get $g)
             (func (export "spin") (loop br 0)))'
      yielder = nil
      kept = nil
      wait = Wasmer::HostFunction.with_caller { |c| kept = c; yielder ? yielder << 1 : Fiber.yield }
      i = Wasmer::Instance.new(wat, { "env" => { "wait" => wait } }, timeout: 0.3)
      parked = Queue.new
      done = Queue.new
      alive = Thread.new do
        2.times { Fiber.new { i.exports.run }.resume }
        Fiber.new { nil }.resume
        parked << 1
        done.pop
      end
      parked.pop
      Thread.new { 2.times { Fiber.new { i.exports.run }.resume } }.join
      Thread.new do
        e = Enumerator.new { |y| yielder = y; i.exports.run }
        e.next
        yielder = nil
      end.join
      sleep 0.5 # the deadline of each abandoned call passes
      p Timeout.timeout(30) { Thread.new { i.exports.bump }.value }
      p i.exports.bump
      p((i.exports.spin rescue $!.code))
      done << 1
      alive.join
      p Thread.new { i.exports.bump }.value
      # The Caller of an abandoned import pointed into the freed Fiber stack.
      p((kept.memory rescue $!.class))
    RUBY
    assert_equal "1\n2\n:timeout\n3\nWasmer::Error\n", out
  end

  # Recursion in wasm on a Fiber whose stack Ruby has already used, to every depth up to
  # Ruby's own overflow, and on small Fiber stacks: a stack_overflow trap (or Ruby's own
  # SystemStackError before the call), never a crash, and the instance still works (the
  # engine assumed 256 KiB of stack below the entry point on a Fiber, past the end of it).
  FIBER_RECURSION = <<~RUBY
    i = Wasmer::Instance.new('(module (func $r (export "r") (param i32) (result i32)
      local.get 0 i32.const 1 i32.add call $r) (func (export "one") (result i32) i32.const 1))')
    def deep(n, i) = n.zero? ? i.exports.r(0) : [1].map { deep(n - 1, i) }.first
    results = (0..2000).step(20).map do |d|
      Fiber.new do
        deep(d, i)
        "no trap"
      rescue Wasmer::Trap => e
        e.code.to_s
      rescue SystemStackError
        "SystemStackError" # Ruby's own check, before a call
      end.resume
    end
    puts results.uniq.sort.join(", ")
    # Still usable: on a Fiber, on another thread.
    puts Fiber.new { i.exports.one }.resume, Thread.new { i.exports.r(0) rescue $!.code }.value
  RUBY

  def test_recursion_on_a_fiber_stack_ruby_has_used
    assert_equal "SystemStackError, stack_overflow\n1\nstack_overflow\n", child(FIBER_RECURSION, seconds: 120)
  end

  def test_recursion_on_small_fiber_stacks
    [131_072, 262_144].each do |size|
      out = child(FIBER_RECURSION, seconds: 120, env: { "RUBY_FIBER_MACHINE_STACK_SIZE" => size.to_s })
      assert_equal "SystemStackError, stack_overflow\n1\nstack_overflow\n", out, "fiber stacks of #{size} bytes"
    end
  end
end
