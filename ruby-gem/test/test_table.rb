# frozen_string_literal: true

require_relative "test_helper"

class TableTest < Minitest::Test
  def test_table
    exports = Wasmer::Instance.new(Fixtures.module("ruby_types")).exports
    table = exports[:table]
    assert_instance_of Wasmer::Table, table
    assert_equal 2, table.size
    assert_equal :funcref, table.type.element
    func = table[0]
    assert_instance_of Wasmer::Function, func
    assert_equal 3, func.call(1, 2)
    assert_nil table[1]
    assert_raises(IndexError) { table[2] }
    assert_raises(IndexError) { table[-1] }
  end
end

# Table#[]= and #grow, with funcrefs as Wasmer::Function (PHP's Wasm\Table has the same).
class TableWriteTest < Minitest::Test
  include GCStress

  WAT = '(module (table (export "t") 3 funcref) (elem (i32.const 0) $add $neg)
    (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func $neg (param i32) (result i32) i32.const 0 local.get 0 i32.sub)
    (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32)))'

  def test_set_and_grow
    exports = Wasmer::Instance.new(WAT).exports
    table = exports[:t]
    neg = table[1]
    assert_equal(-5, neg.call(5))
    table[2] = neg
    assert_equal(-7, exports.call_at(2, 7))
    table[2] = nil
    assert_nil table[2]
    assert_equal 3, table.grow(2, exports[:add])
    assert_equal 5, table.size
    assert_equal 2, table[4].call(1, 1)
    assert_equal 5, table.grow(1)
    assert_nil table[5]
    assert_raises(IndexError) { table[6] = nil }
    e = assert_raises(TypeError) { table[0] = 5 }
    assert_equal "Wasmer::Table#[]=(): argument #2 must be of type funcref, Integer given", e.message
    other = Wasmer::Instance.new(WAT).exports[:t][0]
    e = assert_raises(ArgumentError) { table[0] = other }
    assert_equal "Wasmer::Table#[]=(): argument #2 must be a function of the same store, a function of another store given", e.message
  end
end
