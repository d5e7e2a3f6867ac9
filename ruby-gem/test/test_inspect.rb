# frozen_string_literal: true

require_relative "test_helper"

# `p` shows what a wasm object is.
class InspectTest < Minitest::Test
  WAT = <<~WAT
    (module
      (import "env" "log" (func (param i32)))
      (memory (export "m") 1 4)
      (global (export "g") (mut i32) (i32.const 3))
      (table (export "t") 2 funcref)
      (func (export "f") (param i32) (result i32) local.get 0))
  WAT

  def setup
    @instance = Wasmer::Instance.new(WAT, { "env" => { "log" => ->(_) {} } })
  end

  def test_each_object_says_what_it_is
    exports = "m: memory(1, 4), g: global(mut i32), t: table(2, funcref), f: func(i32) -> i32"
    assert_equal "#<Wasmer::Instance exports: #{exports}>", @instance.inspect
    assert_equal "#<Wasmer::Module imports: env.log: func(i32), exports: #{exports}>", @instance.module.inspect
    assert_equal "#<Wasmer::Function f: func(i32) -> i32>", @instance.exports[:f].inspect
    assert_equal "#<Wasmer::Memory 1 pages (65536 bytes), maximum 4>", @instance.exports[:m].inspect
    assert_equal "#<Wasmer::Global global(mut i32) = 3>", @instance.exports[:g].inspect
    assert_equal "#<Wasmer::Table table(2, funcref), size 2>", @instance.exports[:t].inspect
  end

  def test_inspect_follows_the_state
    @instance.exports[:m].grow(1)
    @instance.exports[:g].value = 7
    assert_equal "#<Wasmer::Memory 2 pages (131072 bytes), maximum 4>", @instance.exports[:m].inspect
    assert_equal "#<Wasmer::Global global(mut i32) = 7>", @instance.exports[:g].inspect
  end
end
