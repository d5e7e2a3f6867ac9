# frozen_string_literal: true

require_relative "test_helper"

# Wasmer::Memory.new, Wasmer::Global.new and Wasmer::Table.new, and memories, globals and tables imported by instances
# (shared with Ruby and between instances), as PHP's Wasm\Memory, Wasm\GlobalVariable and Wasm\Table.
class SharedImportsTest < Minitest::Test
  include GCStress

  def shared = Fixtures.bytes("php_shared_memory")

  def test_a_memory_and_a_mutable_global_shared_by_two_instances_and_ruby
    memory = Wasmer::Memory.new(min: 1, max: 4)
    base = Wasmer::Global.new(:i32, 100, mutable: true)
    assert_equal [1, 4, 100, true], [memory.pages, memory.maximum, base.value, base.mutable?]
    imports = { "env" => { "memory" => memory, "base" => base } }
    a = Wasmer::Instance.new(shared, imports).exports
    b = Wasmer::Instance.new(shared, imports).exports
    memory.write(105, "\x2a")
    assert_equal [42, 42], [a.peek(5), b.peek(5)]
    a.poke(6, 7)
    assert_equal [7, 7], [memory.read(106, 1).ord, b.peek(6)]
    b.set_base(0)
    assert_equal [0, 42], [base.value, a.peek(105)]
    assert_equal 1, memory.grow(1)
    assert_equal 2, memory.pages
  end

  def test_an_instances_own_memory_and_global_imported_by_another
    types = Wasmer::Instance.new(Fixtures.bytes("ruby_types"))
    c = Wasmer::Instance.new(shared, { "env" => { "memory" => types.memory, "base" => types.exports[:x] } }).exports
    types.memory.write(7 + 3, "\x05")
    assert_equal 5, c.peek(3)
    c.set_base(0)
    assert_equal 0, types.exports[:x].value
  end

  def test_a_global_made_alone_moves_into_the_instance
    alone = Wasmer::Global.new(:i32, 5, mutable: true)
    e = Wasmer::Instance.new(shared, { "env" => { "memory" => Wasmer::Memory.new(min: 1), "base" => alone } }).exports
    e.set_base(9)
    assert_equal 9, alone.value
    alone.value = 11
    e.poke(0, 1)
    assert_equal 1, e.peek(0)
    assert_equal 3, Wasmer::Global.new(:f64, 3).value
    refute Wasmer::Global.new(:i64, 1).mutable?
  end

  def test_errors_read_as_in_php
    types = Wasmer::Instance.new(Fixtures.bytes("ruby_types"))
    e = assert_raises(Wasmer::LinkError) do
      Wasmer::Instance.new(shared, { "env" => { "memory" => Wasmer::Memory.new(min: 1), "base" => types.exports[:x] } })
    end
    assert_equal "link error: import `env`.`base`: it belongs to another instance than the import `env`.`memory`: " \
                 "the memories, globals and tables an instance imports must all come from one other instance", e.message
    e = assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(shared, { "env" => { "memory" => 1, "base" => 1 } }) }
    assert_match(/expected a Wasmer::Memory for the memory memory\(1\), Integer given/, e.message)
    assert_raises(ArgumentError) { Wasmer::Global.new(:i8, 1) }
    assert_raises(TypeError) { Wasmer::Global.new(:f64, "x") }
    assert_raises(Wasmer::Error) { Wasmer::Global.new(:i64, 1).value = 2 }
    assert_raises(ArgumentError) { Wasmer::Memory.new(min: 70_000) }
    assert_raises(ArgumentError) { Wasmer::Memory.new(min: 2, max: 1) }
    assert_raises(ArgumentError) { Wasmer::Memory.new(min: -1) }
    assert_raises(ArgumentError) { Wasmer::Memory.new }
  end

  def test_many_memories_in_a_row
    GC.stress = false
    memory = nil
    3000.times { memory = Wasmer::Memory.new(min: 1).tap { |m| m.write(0, "\x01") } }
    GC.stress = GCStress.on?
    assert_equal "\x01", memory.read(0, 1)
  end
end

# An externref stored in a global one instance exports, read by another instance that imports
# the global: both read the same store's externrefs.
class SharedExternrefTest < Minitest::Test
  include GCStress

  def test_an_externref_global_shared_by_two_instances
    a = Wasmer::Instance.new('(module (global (export "g") (mut externref) (ref.null extern))
      (func (export "set") (param externref) local.get 0 global.set 0))')
    b = Wasmer::Instance.new('(module (import "env" "g" (global (mut externref)))
      (func (export "get") (result externref) global.get 0)
      (func (export "keep") (param externref) local.get 0 global.set 0))',
                             { "env" => { "g" => a.exports[:g] } })
    first = Object.new
    second = +"second"
    a.exports.set(first)
    assert_same first, b.exports.get
    b.exports.keep(second)
    assert_same second, a.exports[:g].value
    GC.start
    assert_same second, b.exports.get
  end
end

# Tables imported: another instance's, or one made with Wasmer::Table.new, shared with Ruby and
# between instances (the same cases as PHP's 056-table-imports.phpt).
class TableImportsTest < Minitest::Test
  include GCStress

  LIB = '(module (table (export "t") 2 10 funcref) (elem (i32.const 0) $double)
    (func $double (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
    (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32)))'
  USER = '(module (import "env" "t" (table 2 funcref)) (elem (i32.const 1) $square)
    (func $square (param i32) (result i32) local.get 0 local.get 0 i32.mul)
    (func (export "call_at") (param i32 i32) (result i32) local.get 1 local.get 0 call_indirect (param i32) (result i32))
    (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0)
    (func (export "tsize") (result i32) table.size 0))'

  def test_another_instances_table
    lib = Wasmer::Instance.new(LIB)
    app = Wasmer::Instance.new(USER, { "env" => { "t" => lib.exports[:t] } }).exports
    # The importer's element segment wrote into the exporter's table.
    assert_equal [14, 49, 25], [app.call_at(0, 7), app.call_at(1, 7), lib.exports.call_at(1, 5)]
    assert_equal [2, 5, -1, 5], [app.grow(3), lib.exports[:t].size, app.grow(100), app.tsize]
  end

  def test_a_table_made_in_ruby
    t = Wasmer::Table.new(min: 2, max: 4)
    assert_equal ["table(2, 4, funcref)", 2, nil], [t.type.to_s, t.size, t[0]]
    app = Wasmer::Instance.new(USER, { "env" => { "t" => t } }).exports
    square = t[1]
    assert_equal [36, 2, 4, -1], [square.call(6), app.grow(2), t.size, app.grow(1)]
    # A function of the table's store (the importer's) may be set; wasm calls it.
    t[0] = square
    assert_equal 81, app.call_at(0, 9)
    refs = Wasmer::Table.new(min: 1, type: :externref)
    object = Object.new
    refs[0] = object
    GC.start
    assert_equal ["table(1, externref)", true], [refs.type.to_s, refs[0].equal?(object)]
  end

  def test_errors_read_as_in_php
    error = lambda do |imports, wat = USER|
      assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(wat, { "env" => imports }) }.message
    end
    assert_equal "link error: import `env`.`t`: expected a Wasmer::Table for the table table(2, funcref), Wasmer::Memory given",
                 error.call({ "t" => Wasmer::Memory.new(min: 1) })
    assert_match(/incompatible import type/, error.call({ "t" => Wasmer::Table.new(min: 1) }))
    assert_match(/incompatible import type/, error.call({ "t" => Wasmer::Table.new(min: 2, type: :externref) }))
    assert_match(/must all come from one other instance/,
                 error.call({ "t" => Wasmer::Table.new(min: 1), "m" => Wasmer::Memory.new(min: 1) },
                            '(module (import "env" "t" (table 1 funcref)) (import "env" "m" (memory 1)))'))
    [{ min: -1 }, { min: 3, max: 2 }, { min: 1, type: :i32 }, { min: 1, type: "funcref" }, {}].each do |args|
      assert_raises(ArgumentError, args.inspect) { Wasmer::Table.new(**args) }
    end
    other = Wasmer::Instance.new(LIB).exports[:t][0]
    assert_raises(ArgumentError) { Wasmer::Table.new(min: 1)[0] = other }
  end
end
