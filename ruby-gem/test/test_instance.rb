# frozen_string_literal: true

require_relative "test_helper"

class InstanceTest < Minitest::Test
  def test_from_bytes
    instance = Wasmer::Instance.new(Fixtures.bytes("sum"))
    assert_equal 42, instance.exports.sum(5, 37)
  end

  def test_from_module_with_imports_hash
    mod = Fixtures.module("sum")
    assert_equal 42, Wasmer::Instance.new(mod, {}).exports.sum(40, 2)
    assert_equal 42, Wasmer::Instance.new(mod, nil).exports.sum(40, 2)
  end

  def test_imports_must_be_a_hash
    assert_raises(TypeError) { Wasmer::Instance.new(Fixtures.module("sum"), [1]) }
  end

  def test_exports_is_memoized
    instance = Wasmer::Instance.new(Fixtures.module("sum"))
    assert_same instance.exports, instance.exports
    assert_instance_of Wasmer::Exports, instance.exports
  end

  def test_memory_is_the_first_exported_memory
    instance = Wasmer::Instance.new(Fixtures.bytes("memory"))
    assert_instance_of Wasmer::Memory, instance.memory
    assert_same instance.exports.memory, instance.memory
    assert_nil Wasmer::Instance.new(Fixtures.module("sum")).memory
  end

  def test_module
    instance = Wasmer::Instance.new(Fixtures.module("sum"))
    assert_instance_of Wasmer::Module, instance.module
    assert_equal ["sum"], instance.module.exports.keys
  end

  def test_instances_are_independent
    a = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    b = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    a.exports[:x].value = 100
    assert_equal 100, a.exports.get_x
    assert_equal 7, b.exports.get_x
    a.memory.write(0, "a")
    assert_equal "\0", b.memory.read(0, 1)
  end

  def test_objects_outlive_the_instance
    export = Wasmer::Instance.new(Fixtures.module("sum")).exports[:sum]
    memory = Wasmer::Instance.new(Fixtures.bytes("memory")).memory
    GC.start
    assert_equal 3, export.call(1, 2)
    assert_equal 131_072, memory.size
  end

  def test_new_cannot_be_bypassed
    assert_raises(NoMethodError, TypeError) { Wasmer::Instance.allocate.exports }
  end
end
