# frozen_string_literal: true

require_relative "test_helper"

# Host functions: Procs, lambdas and Methods called from wasm, with their values converted
# to the types the module declares.
class ImportsTest < Minitest::Test
  def setup
    @logged = []
    @ticks = 0
  end

  def env(overrides = {})
    {
      "add" => ->(a, b) { a + b },
      "log" => ->(x) { @logged << x },
      "pair" => -> { [1, 2.5] },
      "scale" => ->(x) { x * 2 },
      "wide" => ->(x) { x + 1 },
      "many" => ->(*xs) { xs.sum },
      "tick" => -> { @ticks += 1 },
      "reenter" => ->(n) { @instance.exports.countdown(n - 1) + 1 },
      "offset" => 16
    }.merge(overrides)
  end

  def instantiate(overrides = {})
    @instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), { "env" => env(overrides) })
  end

  def test_lambda_proc_and_method
    assert_equal 42, instantiate.exports.call_add(40, 2)
    assert_equal 42, instantiate("add" => proc { |a, b| a + b }).exports.call_add(40, 2)
    assert_equal 42, instantiate("add" => Proc.new { |a, b| a + b }).exports.call_add(40, 2)
    assert_equal 42, instantiate("add" => method(:add_method)).exports.call_add(40, 2)
  end

  def add_method(a, b)
    a + b
  end

  def test_symbol_keys
    imports = { env: env.transform_keys(&:to_sym) }
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), imports)
    assert_equal 3, instance.exports.call_add(1, 2)
  end

  def test_arguments_and_results_are_converted
    instance = instantiate
    instance.exports.call_log(-5)
    assert_equal [-5], @logged
    assert_equal [1, 2.5], instance.exports.call_pair
    assert_equal 5.0, instance.exports.call_scale(2.5)
    assert_equal 2**40 + 1, instance.exports.call_wide(2**40)
    assert_equal(-2**63, instance.exports.call_wide(2**63 - 1))
    assert_equal 55, instance.exports.call_many
    assert_equal 16, instance.exports.get_offset
  end

  def test_result_conversions_follow_the_argument_rules
    # An i32 result given as an unsigned Integer wraps; a Float result can be an Integer.
    assert_equal(-1, instantiate("add" => ->(_, _) { 2**32 - 1 }).exports.call_add(0, 0))
    assert_equal 4.0, instantiate("scale" => ->(_) { 4 }).exports.call_scale(1.0)
    e = assert_raises(TypeError) { instantiate("add" => ->(_, _) { "3" }).exports.call_add(1, 2) }
    assert_match(/env\.add/, e.message)
    assert_match(/i32/, e.message)
    assert_raises(TypeError) { instantiate("add" => ->(_, _) { nil }).exports.call_add(1, 2) }
    assert_raises(TypeError) { instantiate("add" => ->(_, _) { 1.5 }).exports.call_add(1, 2) }
    assert_raises(RangeError) { instantiate("add" => ->(_, _) { 2**32 }).exports.call_add(1, 2) }
    assert_raises(TypeError) { instantiate("pair" => -> { 1 }).exports.call_pair }
    assert_raises(TypeError) { instantiate("pair" => -> { [1] }).exports.call_pair }
    assert_raises(TypeError) { instantiate("pair" => -> { [1, "x"] }).exports.call_pair }
    # Whatever a function without results returns is ignored.
    assert_nil instantiate("log" => ->(_) { "ignored" }).exports.call_log(1)
  end

  def test_missing_import_is_a_link_error_naming_module_and_field
    e = assert_raises(Wasmer::LinkError) do
      Wasmer::Instance.new(Fixtures.module("ruby_imports"), { "env" => env.reject { |k, _| k == "scale" } })
    end
    assert_kind_of Wasmer::Error, e
    assert_match(/env/, e.message)
    assert_match(/scale/, e.message)
    assert_equal "env", e.module_name
    assert_equal "scale", e.field_name
    e = assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(Fixtures.module("ruby_imports")) }
    assert_match(/env/, e.message)
    assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(Fixtures.module("ruby_imports"), {}) }
    assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(Fixtures.module("ruby_imports"), { "other" => env }) }
  end

  # The same text as PHP's (php-ext/tests/016-link-errors.phpt), from the engine's wording.
  def test_link_errors_read_as_in_php
    e = assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(Fixtures.module("ruby_imports")) }
    assert_equal "link error: import `env`.`add`: missing function func(i32, i32) -> i32: the imports have no `env` entry",
                 e.message
    e = assert_raises(Wasmer::LinkError) do
      Wasmer::Instance.new(Fixtures.module("ruby_imports"), { "env" => env.reject { |k, _| k == "scale" } })
    end
    assert_equal "link error: import `env`.`scale`: missing function func(f64) -> f64: the `env` imports have no `scale` entry",
                 e.message
    e = assert_raises(Wasmer::LinkError) { instantiate("add" => 42) }
    assert_equal "link error: import `env`.`add`: expected a Proc, a lambda, a Method or a " \
                 "Wasmer::HostFunction for the function func(i32, i32) -> i32, Integer given", e.message
  end

  def test_wrong_kind_of_import_is_a_link_error
    e = assert_raises(Wasmer::LinkError) { instantiate("add" => 42) }
    assert_match(/add/, e.message)
    e = assert_raises(Wasmer::LinkError) { instantiate("offset" => "sixteen") }
    assert_match(/offset/, e.message)
    assert_raises(TypeError) do
      Wasmer::Instance.new(Fixtures.module("ruby_imports"), { "env" => 42 })
    end
  end

  def test_imports_example
    logged = []
    instance = Wasmer::Instance.new(Fixtures.bytes("imports"), {
      "env" => { "add" => ->(a, b) { a + b }, "log_number" => ->(n) { logged << n } }
    })
    assert_equal 105, instance.exports.run(5)
    assert_equal [105], logged
  end

  def test_reentrant_calls
    assert_equal 5, instantiate.exports.countdown(5)
  end

  def test_many_import_calls
    assert_equal iterations(10_000), instantiate.exports.tick_n(iterations(10_000))
    assert_equal iterations(10_000), @ticks
  end

  def test_a_function_of_another_instance_as_import
    other = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    instance = instantiate("add" => other.exports[:add_i32])
    assert_equal 42, instance.exports.call_add(40, 2)
  end

  def test_global_import_from_another_instance
    other = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    assert_raises(Wasmer::LinkError) { instantiate("offset" => other.exports[:x]) }
  end

  def test_callables_are_kept_alive
    instance = Wasmer::Instance.new(Fixtures.module("ruby_imports"), {
      "env" => env("add" => ->(a, b) { "#{a}#{b}".to_i })
    })
    function = instance.exports[:call_add]
    instance = nil
    GC.start
    assert_equal 12, function.call(1, 2)
  end

  def test_interrupt_from_an_import
    count = 0
    instance = nil
    instance = instantiate("tick" => -> { count += 1; instance.interrupt if count == 5 })
    e = assert_raises(Wasmer::Trap) { instance.exports.spin }
    assert_equal :interrupt, e.code
    assert_equal 5, count
    # The flag was cleared by the trap: the instance still runs.
    count = 100
    assert_equal 3, instance.exports.tick_n(3)
  end
end
