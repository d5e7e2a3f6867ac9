# frozen_string_literal: true

require_relative "test_helper"

class GlobalTest < Minitest::Test
  def setup
    @instance = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    @exports = @instance.exports
  end

  def test_value_and_set
    x = @exports[:x]
    assert_instance_of Wasmer::Global, x
    assert_equal 7, x.value
    assert x.mutable?
    x.value = 42
    assert_equal 42, x.value
    assert_equal 42, @exports.get_x
    x.value = 2**32 - 1
    assert_equal(-1, x.value)
  end

  def test_immutable_global
    answer = @exports[:answer]
    refute answer.mutable?
    assert_equal 42, answer.value
    e = assert_raises(Wasmer::Error) { answer.value = 1 }
    assert_match(/immutable/, e.message)
    assert_equal 42, answer.value
  end

  def test_wrong_type_is_a_type_error
    assert_raises(TypeError) { @exports[:x].value = "1" }
    assert_raises(TypeError) { @exports[:x].value = 1.5 }
    assert_raises(TypeError) { @exports[:ratio].value = nil }
    assert_raises(RangeError) { @exports[:x].value = 2**32 }
    assert_raises(RangeError) { @exports[:big].value = 2**64 }
    assert_equal 7, @exports[:x].value
  end

  def test_types
    big = @exports[:big]
    big.value = 2**63 - 1
    assert_equal 2**63 - 1, big.value
    ratio = @exports[:ratio]
    assert_equal 0.5, ratio.value
    ratio.value = 2
    assert_equal 2.0, ratio.value
    single = @exports[:single]
    assert_equal 1.5, single.value
    single.value = 0.25
    assert_equal 0.25, single.value
    ref = @exports[:ref]
    assert_nil ref.value
    object = Object.new
    ref.value = object
    assert_same object, ref.value
    assert_equal :i64, big.type.type
    assert_equal "global(mut f64)", ratio.type.to_s
  end
end

class StartFunctionTest < Minitest::Test
  def test_externref_stored_by_the_start_function_survives_the_gc
    made = []
    instance = Wasmer::Instance.new(Fixtures.module("ruby_start"), {
      "env" => { "make" => -> { made << "object #{made.size}".dup; made.last } }
    })
    id = made.first.object_id
    made.clear
    GC.start
    "garbage #{rand}" * 10
    GC.start
    kept = instance.exports[:kept].value
    assert_equal "object 0", kept
    assert_equal id, kept.object_id
  end
end
