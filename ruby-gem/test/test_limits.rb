# frozen_string_literal: true

require_relative "test_helper"

# fuel: and memory_limit: of Wasmer::Instance.new.
class LimitsTest < Minitest::Test
  WAT = <<~WAT
    (module
      (import "host" "refill" (func $refill))
      (memory (export "memory") 1)
      (func (export "three") (result i32) i32.const 1 i32.const 2 i32.add)
      (func (export "spin") (loop $l br $l))
      (func (export "spin_refilling") (param i32) (result i32) (local $i i32)
        (loop $l
          call $refill
          local.get $i i32.const 1 i32.add local.tee $i
          local.get 0 i32.lt_u br_if $l)
        local.get $i)
      (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))
  WAT

  def instance(refill: -> {}, **limits)
    Wasmer::Instance.new(WAT, { "host" => { "refill" => refill } }, **limits)
  end

  def test_fuel_runs_out_and_can_be_added
    i = instance(fuel: 100_000)
    assert_equal 100_000, i.fuel
    assert_equal 3, i.exports.three
    assert_equal 99_997, i.fuel
    e = assert_raises(Wasmer::Trap) { i.exports.spin }
    assert_equal :out_of_fuel, e.code
    assert_match(/\Awasm trap: all fuel consumed \(out_of_fuel\)/, e.message)
    assert_equal 0, i.fuel
    assert_raises(Wasmer::Trap) { i.exports.three }
    assert_equal 10, i.add_fuel(10)
    assert_equal 3, i.exports.three
    assert_equal 7, i.fuel
  end

  def test_an_import_can_refill_the_call
    inst = nil
    inst = instance(fuel: 1000, refill: -> { inst.add_fuel(20) })
    assert_equal 5000, inst.exports.spin_refilling(5000)
  end

  def test_without_fuel
    i = instance
    assert_nil i.fuel
    e = assert_raises(Wasmer::Error) { i.add_fuel(1) }
    assert_match(/cannot add fuel: .* runs without fuel/, e.message)
  end

  def test_a_start_function_runs_on_the_fuel
    e = assert_raises(Wasmer::Trap) { Wasmer::Instance.new("(module (func $s (loop (br 0))) (start $s))", {}, fuel: 10_000) }
    assert_equal :out_of_fuel, e.code
  end

  def test_memory_limit
    i = instance(memory_limit: 3 * 65_536)
    assert_equal 1, i.exports.grow(2)
    assert_equal(-1, i.exports.grow(1))
    assert_equal 3, i.memory.pages
    e = assert_raises(Wasmer::Error) { i.memory.grow(1) }
    assert_match(/the memory limit is 196608 bytes/, e.message)
    e = assert_raises(Wasmer::Error) { Wasmer::Instance.new("(module (memory 4))", {}, memory_limit: 65_536) }
    assert_match(/a memory of 4 pages \(262144 bytes\) does not fit in the memory limit of 65536 bytes/, e.message)
  end

  def test_bad_values
    [[:fuel, -1], [:memory_limit, -1], [:fuel, 2**64]].each do |name, bad|
      e = assert_raises(ArgumentError) { instance(name => bad) }
      assert_match(/#{name}: must be a number of .* from 0 to 2\*\*64-1, got #{bad}/, e.message)
    end
    [[:fuel, 1.5], [:memory_limit, "1M"]].each do |name, bad|
      e = assert_raises(TypeError) { instance(name => bad) }
      assert_match(/#{name}: must be an Integer/, e.message)
    end
    assert_raises(ArgumentError) { instance(fuel: 1).add_fuel(-1) }
  end
end
