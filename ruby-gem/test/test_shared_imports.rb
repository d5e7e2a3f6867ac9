# frozen_string_literal: true

require_relative "test_helper"

# Wasmer::Memory.new and Wasmer::Global.new, and memories and globals imported by instances
# (shared with Ruby and between instances), as PHP's Wasm\Memory and Wasm\GlobalVariable.
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
                 "the memories and globals an instance imports must all come from one other instance", e.message
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
