# frozen_string_literal: true

require_relative "test_helper"
require "timeout"

class ExceptionsTest < Minitest::Test
  class CustomError < StandardError; end

  TRAPS = %i[unreachable memory_out_of_bounds table_out_of_bounds indirect_call_to_null
             bad_signature integer_overflow integer_divide_by_zero bad_conversion_to_integer
             stack_overflow].freeze

  def traps
    @traps ||= Wasmer::Instance.new(Fixtures.module("ruby_traps")).exports
  end

  def call_trap(code)
    args = traps[code].arity.times.map { 0 }
    traps[code].call(*args)
  end

  def test_hierarchy
    assert_operator Wasmer::Error, :<, StandardError
    assert_operator Wasmer::CompileError, :<, Wasmer::Error
    assert_operator Wasmer::LinkError, :<, Wasmer::Error
    assert_operator Wasmer::Trap, :<, Wasmer::Error
  end

  def test_every_trap_code
    TRAPS.each do |code|
      e = assert_raises(Wasmer::Trap, code.to_s) { call_trap(code) }
      assert_equal code, e.code
      assert_instance_of Symbol, e.code
      assert_match(/#{code}/, e.message)
      # The function is named after its export, or its name in the name section.
      expected = code == :stack_overflow ? "recurse" : code.to_s
      assert_equal expected, e.function, e.message
      assert_match(/`#{expected}`/, e.message)
    end
    assert_equal 42, traps.ok
  end

  def test_trap_messages_name_the_trap
    e = assert_raises(Wasmer::Trap) { traps.unreachable }
    assert_match(/unreachable/, e.message)
    e = assert_raises(Wasmer::Trap) { traps.integer_divide_by_zero(0) }
    assert_match(/divide by zero/, e.message)
    assert_equal 1, traps.integer_divide_by_zero(1)
  end

  def test_a_trap_in_a_loop_of_10000_calls
    n = iterations(10_000)
    trapped = 0
    n.times do
      traps.unreachable
    rescue Wasmer::Trap => e
      trapped += 1 if e.code == :unreachable
    end
    assert_equal n, trapped
    assert_equal 42, traps.ok
  end

  def test_unbounded_recursion_is_a_stack_overflow
    e = assert_raises(Wasmer::Trap) { traps.stack_overflow(0) }
    assert_equal :stack_overflow, e.code
    e = assert_raises(Wasmer::Trap) { traps.stack_overflow(0) }
    assert_equal :stack_overflow, e.code
  end

  def test_unbounded_recursion_in_a_thread
    code = Thread.new do
      traps.stack_overflow(0)
    rescue Wasmer::Trap => e
      e.code
    end.value
    assert_equal :stack_overflow, code
    small = Thread.new do
      Wasmer::Instance.new(Fixtures.module("ruby_traps")).exports.stack_overflow(0)
    rescue Wasmer::Trap => e
      e.code
    end
    assert_equal :stack_overflow, small.value
  end

  def test_unbounded_recursion_through_ruby
    # Thousands of Ruby and wasm frames: minutes under GC.stress.
    skip "too slow under GC.stress" if GCStress.on?

    [false, true].each do |in_thread|
      run = lambda do
        instance = nil
        reenter = ->(n) { instance.exports.countdown(n + 1) }
        imports = imports(-> {})
        imports["env"]["reenter"] = reenter
        instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports)
        error = begin
          instance.exports.countdown(1)
        rescue Wasmer::Trap, SystemStackError => e
          e
        end
        [error, instance.exports.countdown(0)]
      end
      error, after = in_thread ? Thread.new(&run).value : run.call
      assert(error.is_a?(SystemStackError) || error.code == :stack_overflow, error.inspect)
      assert_equal 0, after
    end
  end

  def test_traps_in_a_fiber
    codes = Enumerator.new do |y|
      loop do
        traps.stack_overflow(0)
      rescue Wasmer::Trap => e
        y << e.code
      end
    end
    assert_equal %i[stack_overflow stack_overflow], codes.take(2)
    assert_equal 42, Fiber.new { traps.ok }.resume
  end

  def test_a_fiber_suspended_inside_wasm_resumes_inside_other_wasm
    # Fiber A suspends inside an import of its wasm call; main then enters other wasm, whose
    # import resumes A, and A's import raises: A's wasm call must unwind to A, not to main's.
    fiber = Fiber.new do
      a = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(lambda {
        Fiber.yield
        raise CustomError, "after resume"
      }))
      begin
        a.exports.tick_n(1)
      rescue CustomError => e
        e.message
      end
    end
    fiber.resume
    result = nil
    b = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(-> { result = fiber.resume }))
    assert_equal 1, b.exports.tick_n(1)
    assert_equal "after resume", result
  end

  def imports(tick)
    noop = ->(*) { 0 }
    { "env" => { "add" => noop, "log" => noop, "pair" => -> { [0, 0.0] }, "scale" => noop,
                 "wide" => noop, "many" => noop, "tick" => tick, "reenter" => noop, "offset" => 0 } }
  end

  def test_exception_from_an_import_is_reraised_unchanged
    raised = nil
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(lambda {
      raised = CustomError.new("boom")
      raise raised
    }))
    e = assert_raises(CustomError) { instance.exports.tick_n(1) }
    assert_same raised, e
    assert_equal "boom", e.message
    assert_match(/test_exceptions\.rb:#{__LINE__ - 5}/, e.backtrace.first)
  end

  def test_exception_stops_the_wasm_call_at_once
    ticks = 0
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(lambda {
      ticks += 1
      raise ArgumentError, "third" if ticks == 3
    }))
    e = assert_raises(ArgumentError) { instance.exports.tick_n(100) }
    assert_equal "third", e.message
    assert_equal 3, ticks
    # The instance is still usable.
    assert_equal 5, instance.exports.tick_n(5)
  end

  def test_any_exception_class
    [RuntimeError, TypeError, ZeroDivisionError, NotImplementedError, SystemStackError].each do |klass|
      instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(-> { raise klass, "x" }))
      assert_raises(klass) { instance.exports.tick_n(1) }
    end
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(-> { 1 / 0 }))
    assert_raises(ZeroDivisionError) { instance.exports.spin }
  end

  def test_exceptions_through_nested_calls
    instance = nil
    depth = 0
    reenter = lambda do |n|
      depth += 1
      raise CustomError, "deep #{n}" if n == 1

      instance.exports.countdown(n - 1)
    end
    imports = imports(-> {})
    imports["env"]["reenter"] = reenter
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports)
    e = assert_raises(CustomError) { instance.exports.countdown(4) }
    assert_equal "deep 1", e.message
    assert_equal 4, depth
    assert_equal 0, instance.exports.countdown(0)
  end

  def test_throw_and_catch_across_a_wasm_call
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(-> { throw :done, 42 }))
    assert_equal 42, catch(:done) { instance.exports.spin }
    assert_equal 3, catch(:other) { Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(-> {})).exports.tick_n(3) }
  end

  def run_with_block(&block)
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(block))
    instance.exports.spin
    :not_reached
  end

  def test_break_out_of_a_block_across_a_wasm_call
    count = 0
    result = run_with_block do
      count += 1
      break :broken if count == 3
    end
    assert_equal :broken, result
    assert_equal 3, count
  end

  def return_from_proc
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(proc { return :returned }))
    instance.exports.spin
    :not_reached
  end

  def test_return_from_a_proc_across_a_wasm_call
    assert_equal :returned, return_from_proc
  end

  def test_next_in_a_block_returns_its_value
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"),
                                    imports(proc { next 1 }).tap { |i| i["env"]["add"] = proc { |a, b| next a * b } })
    assert_equal 12, instance.exports.call_add(3, 4)
  end

  def test_start_function_trap
    bytes = "\0asm\1\0\0\0".b +
            "\x01\x04\x01\x60\x00\x00".b +      # type 0: func() -> ()
            "\x03\x02\x01\x00".b +              # func 0: type 0
            "\x08\x01\x00".b +                  # start: func 0
            "\x0a\x05\x01\x03\x00\x00\x0b".b    # code: unreachable
    e = assert_raises(Wasmer::Trap) { Wasmer::Instance.new(bytes) }
    assert_equal :unreachable, e.code
  end

  # A second thread calling an instance whose import another thread is inside waits for it
  # (without the GVL), then runs; Thread#raise and Timeout reach it while it waits.
  def test_another_thread_waits_for_a_running_instance
    entered = Queue.new
    release = Queue.new
    ticks = 0
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports(lambda {
      ticks += 1
      if ticks == 1
        entered << true
        release.pop
      end
    }))
    runner = Thread.new { instance.exports.tick_n(1) }
    entered.pop
    waiter = Thread.new { instance.exports.tick_n(2) }
    sleep 0.05
    assert waiter.alive?, "the second thread did not wait"
    assert_equal 1, ticks
    assert_raises(Timeout::Error) { Timeout.timeout(0.05) { instance.exports.tick_n(0) } }
    release << true
    assert_equal 1, runner.value
    assert_equal 2, waiter.value
    assert_equal 3, ticks
    assert_equal 0, instance.exports.tick_n(0)
  end
end
