# frozen_string_literal: true

require_relative "test_helper"

class ModuleTest < Minitest::Test
  def test_new_and_instantiate_many_times
    mod = Wasmer::Module.new(Fixtures.bytes("sum"))
    assert_instance_of Wasmer::Module, mod
    a = Wasmer::Instance.new(mod)
    b = Wasmer::Instance.new(mod)
    assert_equal 42, a.exports.sum(5, 37)
    assert_equal 3, b.exports.sum(1, 2)
  end

  def test_validate
    assert_equal true, Wasmer::Module.validate(Fixtures.bytes("sum"))
    assert_equal false, Wasmer::Module.validate("\0asm garbage")
    assert_equal false, Wasmer::Module.validate("")
    assert_equal false, Wasmer::Module.validate(nil)
    assert_equal false, Wasmer::Module.validate(42)
    assert_equal false, Wasmer::Module.validate([0, 97, 115, 109])
  end

  def test_invalid_bytes_are_a_compile_error
    e = assert_raises(Wasmer::CompileError) { Wasmer::Module.new("not wasm") }
    assert_kind_of Wasmer::Error, e
    assert_kind_of StandardError, e
    refute_empty e.message
    assert_raises(Wasmer::CompileError) { Wasmer::Instance.new("\0asm\1\0\0\0\xff".b) }
  end

  def test_non_string_is_a_type_error
    assert_raises(TypeError) { Wasmer::Module.new(nil) }
    assert_raises(TypeError) { Wasmer::Module.new(123) }
    assert_raises(TypeError) { Wasmer::Instance.new(:sum) }
  end

  def test_exports
    exports = Wasmer::Module.new(Fixtures.bytes("sum")).exports
    assert_equal ["sum"], exports.keys
    sum = exports["sum"]
    assert_instance_of Wasmer::FunctionType, sum
    assert_equal :function, sum.kind
    assert_equal [:i32, :i32], sum.params
    assert_equal [:i32], sum.results
    assert_equal "func(i32, i32) -> i32", sum.to_s
  end

  def test_exports_of_every_kind
    types = Fixtures.module("ruby_types").exports
    assert_equal :memory, types["memory"].kind
    assert_equal 1, types["memory"].minimum
    assert_equal 4, types["memory"].maximum
    assert_equal :table, types["table"].kind
    assert_equal :funcref, types["table"].element
    assert_equal :global, types["x"].kind
    assert_equal :i32, types["x"].type
    assert types["x"].mutable?
    refute types["answer"].mutable?
    assert_equal [:i32, :i64, :f64], types["multi"].results
    # The texts PHP's Module::exports() gives.
    assert_equal "memory(1, 4)", types["memory"].to_s
    assert_equal "global(mut i32)", types["x"].to_s
  end

  def test_imports
    imports = Fixtures.module("ruby_imports").imports
    add = imports.find { |i| i.name == "add" }
    assert_instance_of Wasmer::ImportType, add
    assert_equal "env", add.module
    assert_equal :function, add.kind
    assert_equal [:i32, :i32], add.type.params
    offset = imports.find { |i| i.name == "offset" }
    assert_equal :global, offset.kind
    assert_equal "env.offset: global(i32)", offset.to_s
    assert_empty Wasmer::Module.new(Fixtures.bytes("sum")).imports
  end

  def test_from_file
    path = File.join(Fixtures::ROOT, "examples", "sum.wasm")
    [path, Pathname(path)].each do |p|
      m = Wasmer::Module.from_file(p)
      assert_instance_of Wasmer::Module, m
      assert_equal 42, Wasmer::Instance.new(m).exports.sum(40, 2)
    end
    e = assert_raises(IOError) { Wasmer::Module.from_file("/nonexistent/x.wasm") }
    assert_match(%r{\AWasmer::Module.from_file: cannot read /nonexistent/x.wasm: }, e.message)
    assert_raises(TypeError) { Wasmer::Module.from_file(42) }
    assert_raises(Wasmer::CompileError) { Wasmer::Module.from_file(__FILE__) }
  end
end
