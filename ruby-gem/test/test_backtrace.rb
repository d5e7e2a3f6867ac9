# frozen_string_literal: true

require_relative "test_helper"

# Wasmer::Trap#wasm_backtrace: where in the module a trap happened, frame by frame.
class BacktraceTest < Minitest::Test
  include GCStress

  WAT = '(module
    (import "env" "host" (func $host (param i32) (result i32)))
    (func $div (param i32) (result i32) i32.const 1 local.get 0 i32.div_s)
    (func $middle (export "middle") (param i32) (result i32) local.get 0 call $div)
    (func (export "outer") (param i32) (result i32) local.get 0 call $host))'

  def instance
    host = Wasmer::HostFunction.with_caller { |caller, n| caller[:middle].call(n) }
    Wasmer::Instance.new(WAT, { "env" => { "host" => host } })
  end

  def test_frames_on_both_sides_of_a_host_function
    e = assert_raises(Wasmer::Trap) { instance.exports.outer(0) }
    frames = e.wasm_backtrace
    assert_equal [1, 2, nil, 3], frames.map(&:function)
    assert_equal ["div", "middle", nil, "outer"], frames.map(&:name)
    assert frames[2].host?
    offsets = frames.map(&:offset)
    assert offsets.values_at(0, 1, 3).all? { |o| o.is_a?(Integer) && o.positive? }
    # In the code section, the functions come in the module's order.
    assert_operator offsets[0], :<, offsets[1]
    assert_operator offsets[1], :<, offsets[3]
    lines = e.message.lines.map(&:chomp)
    assert_equal "wasm trap: integer divide by zero (integer_divide_by_zero) in function `div`", lines[0]
    assert_equal "wasm backtrace:", lines[1]
    assert_equal frames.each_with_index.map { |f, i| format("  %3d: %s", i, f) }, lines.drop(2)
    assert_match(/\A    0: +0x\h+ - div\z/, lines[2])
    assert_equal "    2: <host function>", lines[4]
  end

  def test_the_same_text_as_php
    e = assert_raises(Wasmer::Trap) { instance.exports.middle(0) }
    assert_equal format("%#6x - div", e.wasm_backtrace[0].offset), e.wasm_backtrace[0].to_s
    assert_equal 2, e.wasm_backtrace.size
  end

  def test_deep_recursion_keeps_the_innermost_frames
    GC.stress = false
    e = assert_raises(Wasmer::Trap) do
      Wasmer::Instance.new('(module (func $r (export "r") (param i32) (result i32)
        local.get 0 i32.const 1 i32.add call $r))').exports.r(0)
    end
    GC.stress = GCStress.on?
    assert_equal :stack_overflow, e.code
    assert_equal 32, e.wasm_backtrace.size
    assert_equal ["r"], e.wasm_backtrace.map(&:name).uniq
    assert e.message.end_with?("\n    ... 22 more frames"), e.message
  end

  # Fibers left suspended inside an import, on threads that have ended (whose native thread
  # Ruby may reuse) and on this one: a trap's backtrace has its own frames only, never the
  # frames of those fibers, whose stacks may be gone (the walk read them).
  def test_a_backtrace_stays_on_its_own_stack
    wat = '(module (import "env" "wait" (func $wait)) (func $r (export "run") call $wait)
      (func $a (export "a") (call $b)) (func $b (call $c)) (func $c unreachable))'
    backtraces = 6.times.map do
      Thread.new do
        i = Wasmer::Instance.new(wat, { "env" => { "wait" => -> { Fiber.yield } } })
        3.times { Fiber.new { i.exports.run }.resume }
        assert_raises(Wasmer::Trap) { i.exports.a }.wasm_backtrace.map(&:name)
      end.value
    end
    assert_equal [%w[c b a]], backtraces.uniq
  end
end
