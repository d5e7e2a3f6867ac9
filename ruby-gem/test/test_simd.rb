# frozen_string_literal: true

require_relative "test_helper"

# v128 values cross as binary Strings of exactly 16 bytes, in memory order.
class SimdTest < Minitest::Test
  WAT = <<~WAT
    (module
      (import "host" "twice" (func $twice (param v128) (result v128)))
      (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
      (func (export "add") (param v128 v128) (result v128)
        local.get 0 local.get 1 i32x4.add)
      (func (export "dot") (param v128 v128) (result i32)
        (local $p v128)
        local.get 0 local.get 1 i32x4.dot_i16x8_s local.set $p
        local.get $p i32x4.extract_lane 0 local.get $p i32x4.extract_lane 1 i32.add
        local.get $p i32x4.extract_lane 2 i32.add local.get $p i32x4.extract_lane 3 i32.add)
      (func (export "via_host") (param v128) (result v128)
        local.get 0 call $twice))
  WAT

  def i32x4(*lanes) = lanes.pack("l<4")
  def lanes(v) = v.unpack("l<4")

  def instance(twice = ->(v) { i32x4(*lanes(v).map { |x| 2 * x }) })
    Wasmer::Instance.new(WAT, { "host" => { "twice" => twice } })
  end

  def test_arguments_results_and_imports
    e = instance.exports
    sum = e.add(i32x4(1, 2, 3, -1), i32x4(10, 20, 30, 2))
    assert_equal Encoding::BINARY, sum.encoding
    assert_equal [11, 22, 33, 1], lanes(sum)
    assert_equal 36, e.dot([1, 2, 3, 4, 5, 6, 7, 8].pack("s<8"), ([1] * 8).pack("s<8"))
    assert_equal [2, -4, 6, 800], lanes(e.via_host(i32x4(1, -2, 3, 400)))
    # Any String of 16 bytes will do, whatever its encoding.
    assert_equal "0123456789abcdef".b, e.add("0123456789abcdef", "\0" * 16)
  end

  def test_globals
    g = instance.exports[:g]
    assert_equal :v128, g.type.type
    assert_equal [1, 2, 3, 4], lanes(g.value)
    g.value = "\xff".b * 16
    assert_equal "ff" * 16, g.value.unpack1("H*")
    e = assert_raises(ArgumentError) { g.value = "\0" * 17 }
    assert_match(/must be a string of 16 bytes to be a v128, a string of 17 bytes given/, e.message)
  end

  def test_wrong_values
    e = instance.exports
    err = assert_raises(ArgumentError) { e.add("abc", "\0" * 16) }
    assert_equal "add(): argument #1 must be a string of 16 bytes to be a v128, a string of 3 bytes given", err.message
    err = assert_raises(TypeError) { e.add("\0" * 16, 5) }
    assert_equal "add(): argument #2 must be of type v128, Integer given", err.message
    bad = instance(->(_v) { "four" })
    err = assert_raises(ArgumentError) { bad.exports.via_host("\0" * 16) }
    assert_equal "host.twice(): return value must be a string of 16 bytes to be a v128, a string of 4 bytes returned", err.message
  end
end
