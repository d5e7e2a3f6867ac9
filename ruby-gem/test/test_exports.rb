# frozen_string_literal: true

require_relative "test_helper"

class ExportsTest < Minitest::Test
  def setup
    @instance = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    @exports = @instance.exports
  end

  def test_exports_are_real_methods
    assert_respond_to @exports, :add_i32
    assert_equal 42, @exports.add_i32(40, 2)
    assert_includes @exports.singleton_methods, :add_i32
    assert_equal 42, @exports.public_send(:add_i32, 40, 2)
    assert_equal 42, @exports.method(:add_i32).call(40, 2)
    refute_respond_to @exports, :nope
  end

  def test_brackets_with_symbol_or_string
    assert_instance_of Wasmer::Function, @exports[:add_i32]
    assert_same @exports[:add_i32], @exports["add_i32"]
    assert_instance_of Wasmer::Memory, @exports[:memory]
    assert_instance_of Wasmer::Global, @exports[:x]
    assert_instance_of Wasmer::Table, @exports[:table]
  end

  def test_non_function_exports_as_methods
    assert_same @exports[:memory], @exports.memory
    assert_same @exports[:x], @exports.x
    assert_equal 7, @exports.x.value
    assert_raises(ArgumentError) { @exports.memory(1) }
  end

  def test_exports_named_like_object_methods
    assert_equal 1, @exports[:class].call
    assert_equal 2, @exports[:send].call
    assert_equal 3, @exports["hash"].call
    assert_equal 4, @exports[:object_id].call
    # The Object methods keep their meaning.
    assert_equal Wasmer::Exports, @exports.class
    assert_equal 42, @exports.send(:add_i32, 40, 2)
    assert_kind_of Integer, @exports.hash
    # Private Kernel methods do not stand in the way.
    assert_equal 5, @exports.print
    assert_equal 6, @exports.select
  end

  def test_unknown_export_is_a_no_method_error
    # did_you_mean's suggestions allocate a lot: not under GC stress.
    GC.stress = false
    e = assert_raises(NoMethodError) { @exports.nope(1) }
    GC.stress = GCStress.on?
    assert_match(/nope/, e.message)
    e = assert_raises(NoMethodError) { @exports[:nope] }
    assert_match(/nope/, e.message)
    assert_equal :nope, e.name
    assert_raises(TypeError) { @exports[42] }
  end

  def test_listing
    assert_includes @exports.names, "add_i32"
    assert @exports.include?(:memory)
    assert @exports.key?("x")
    refute @exports.include?("nope")
    assert_equal @exports.names.size, @exports.length
    assert_equal @exports.names, @exports.to_h.keys
    assert_equal @exports.names, @exports.each.map { |name, _| name }
    assert_match(/add_i32/, @exports.inspect)
  end
end

# Exports are made on first use, so that instantiation does not depend on their number.
class LazyExportsTest < Minitest::Test
  include GCStress

  N = 3000
  WAT = '(module (import "env" "visit" (func $visit)) (memory (export "memory") 1) ' \
        '(func (export "outer") (result i32) call $visit i32.const -1) ' +
        (0...N).map { |i| "(func (export \"f#{i}\") (result i32) i32.const #{i})" }.join(" ") + ")"

  def self.module = @module ||= Wasmer::Module.new(WAT)

  def test_first_calls_from_inside_an_import_while_another_export_runs
    instance = nil
    sum = 0
    # Every 7th export only, under GC.stress: each first call defines a method.
    step = GCStress.on? ? 97 : 7
    visit = -> { (0...N).step(step) { |i| sum += instance.exports.public_send(:"f#{i}") } }
    instance = Wasmer::Instance.new(self.class.module, { "env" => { "visit" => visit } })
    exports = instance.exports
    refute_includes exports.singleton_methods, :f5
    assert_respond_to exports, :f5
    assert_equal(-1, exports.outer)
    assert_equal (0...N).step(step).sum, sum
    assert_includes exports.singleton_methods, :"f#{step}"
    assert_equal 5, exports.f5
    assert_includes exports.singleton_methods, :f5
  end

  def test_every_kind_of_first_access
    instance = Wasmer::Instance.new(self.class.module, { "env" => { "visit" => -> {} } })
    assert_same instance.memory, instance.exports.memory
    exports = instance.exports
    assert_equal N + 2, exports.length
    assert_equal "f2999", exports.names.last
    assert_equal 12, exports[:f12].call
    assert_same exports[:f12], exports["f12"]
    assert exports.include?(:f2999)
    refute_respond_to exports, :f3000
    assert_raises(NoMethodError) { exports.f3000 }
    assert_equal N + 2, exports.values.length
    assert_equal 11, exports.f11
  end
end
