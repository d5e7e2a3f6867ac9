# frozen_string_literal: true

require_relative "test_helper"

# Functions and the conversion rules for arguments and results.
class FunctionTest < Minitest::Test
  def setup
    @exports = Wasmer::Instance.new(Fixtures.module("ruby_types")).exports
  end

  def test_function_object
    add = @exports[:add_i32]
    assert_instance_of Wasmer::Function, add
    assert_equal 42, add.call(40, 2)
    assert_equal 2, add.arity
    assert_equal [:i32, :i32], add.params
    assert_equal [:i32], add.results
    assert_equal "func(i32, i32) -> i32", add.type.to_s
    assert_equal "add_i32", add.name
    assert_equal 0, @exports[:nothing].arity
    assert_equal [3, 5], [[1, 2], [2, 3]].map { |a, b| add.call(a, b) }
    assert_equal [2, 4], [[1, 1], [2, 2]].map(&->(pair) { add.call(*pair) })
    assert_equal 7, add.to_proc.call(3, 4)
  end

  def test_i32_range
    assert_equal(-2**31, @exports.echo_i32(-2**31))
    assert_equal 2**31 - 1, @exports.echo_i32(2**31 - 1)
    # The upper half of the unsigned range wraps to the same bits.
    assert_equal(-1, @exports.echo_i32(2**32 - 1))
    assert_equal(-2**31, @exports.echo_i32(2**31))
    assert_raises(RangeError) { @exports.echo_i32(2**32) }
    assert_raises(RangeError) { @exports.echo_i32(-2**31 - 1) }
    assert_raises(RangeError) { @exports.echo_i32(2**100) }
    assert_raises(RangeError) { @exports.echo_i32(-2**100) }
  end

  def test_i32_arithmetic_wraps
    assert_equal(-2**31, @exports.add_i32(2**31 - 1, 1))
  end

  def test_i64_range
    assert_equal(-2**63, @exports.echo_i64(-2**63))
    assert_equal 2**63 - 1, @exports.echo_i64(2**63 - 1)
    assert_equal(-1, @exports.echo_i64(2**64 - 1))
    assert_equal 2**40, @exports.echo_i64(2**40)
    assert_equal 2**62, @exports.echo_i64(2**62) # a Bignum on the way in
    assert_raises(RangeError) { @exports.echo_i64(2**64) }
    assert_raises(RangeError) { @exports.echo_i64(-2**63 - 1) }
    assert_equal 2**33, @exports.add_i64(2**32, 2**32)
  end

  def test_floats
    assert_equal 2.5, @exports.echo_f64(2.5)
    assert_equal 3.0, @exports.echo_f64(3)
    assert_instance_of Float, @exports.echo_f64(3)
    assert_equal 2.0**70, @exports.echo_f64(2**70)
    assert_equal 1.5, @exports.echo_f32(1.5)
    assert_in_delta 0.3, @exports.add_f32(0.1, 0.2), 1e-6
    assert_equal 0.1 + 0.2, @exports.add_f64(0.1, 0.2)
    assert @exports.echo_f64(Float::NAN).nan?
    assert @exports.echo_f32(Float::NAN).nan?
    assert_equal Float::INFINITY, @exports.echo_f64(Float::INFINITY)
    assert_equal 1e300, @exports.echo_f64(1e300)
    assert_equal Float::INFINITY, @exports.echo_f32(1e300)
  end

  def test_wrong_types_are_type_errors_naming_export_index_and_type
    e = assert_raises(TypeError) { @exports.add_i32(1, "2") }
    assert_equal "add_i32(): argument #2 must be of type i32, String given", e.message
    e = assert_raises(TypeError) { @exports.add_i32(1.5, 2) }
    assert_equal "add_i32(): argument #1 must be of type i32, Float given", e.message
    e = assert_raises(TypeError) { @exports.add_i32(true, 2) }
    assert_equal "add_i32(): argument #1 must be of type i32, true given", e.message
    e = assert_raises(TypeError) { @exports.add_i64(nil, 2) }
    assert_match(/i64/, e.message)
    e = assert_raises(TypeError) { @exports.add_f64(1.0, :x) }
    assert_match(/add_f64/, e.message)
    assert_match(/f64/, e.message)
    assert_raises(TypeError) { @exports.add_f32("1", 2) }
    assert_raises(TypeError) { @exports[:add_i32].call(1, Object.new) }
  end

  def test_wrong_count_is_an_argument_error
    e = assert_raises(ArgumentError) { @exports.add_i32(1) }
    assert_equal "add_i32(): expects exactly 2 arguments, 1 given", e.message
    e = assert_raises(ArgumentError) { @exports[:add_i32].call(1, 2, 3) }
    assert_equal "add_i32(): expects exactly 2 arguments, 3 given", e.message
    assert_raises(ArgumentError) { @exports.nothing(1) }
  end

  def test_results
    assert_nil @exports.nothing
    assert_equal [-1, 2**40, 2.5], @exports.multi
    assert_equal 55, @exports.sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
    e = assert_raises(TypeError) { @exports.sum10(1, 2, 3, 4, 5, 6, 7, 8, 9, "10") }
    assert_match(/argument #10/, e.message)
  end

  def test_references
    assert_nil @exports.echo_ref(nil)
    object = Object.new
    assert_same object, @exports.echo_ref(object)
    assert_equal "text", @exports.echo_ref("text")
    assert_equal 1, @exports.is_null(nil)
    assert_equal 0, @exports.is_null(object)
    func = @exports.get_func
    assert_instance_of Wasmer::Function, func
    assert_equal 9, func.call(4, 5)
    assert_equal 7, @exports.call_ref(func, 3, 4)
    assert_equal 7, @exports.call_ref(@exports[:add_i32], 3, 4)
    other = Wasmer::Instance.new(Fixtures.module("ruby_types")).exports[:add_i32]
    e = assert_raises(ArgumentError) { @exports.call_ref(other, 3, 4) }
    assert_equal "call_ref(): argument #1 must be a function of the same store, a function of another store given", e.message
    assert_raises(TypeError) { @exports.call_ref(42, 3, 4) }
  end

  def test_many_calls
    sum = 0
    iterations(10_000).times { |i| sum = @exports.add_i32(sum, i) }
    assert_equal (0...iterations(10_000)).sum, sum
  end
end
