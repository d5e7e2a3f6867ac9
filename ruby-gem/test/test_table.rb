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
