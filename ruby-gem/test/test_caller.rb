# frozen_string_literal: true

require_relative "test_helper"

# Wasmer::HostFunction.with_caller: host functions that reach the instance calling them.
class TestCaller < Minitest::Test
  include GCStress

  def imports(log:, visit:)
    { "env" => { "log" => log, "visit" => visit } }
  end

  def test_reads_and_writes_the_callers_memory_globals_and_functions
    logged = nil
    kept = nil
    log = Wasmer::HostFunction.with_caller do |caller, ptr, len|
      logged = caller.memory.read(ptr, len)
      kept = caller
      nil
    end
    visit = Wasmer::HostFunction.with_caller(lambda { |caller, n|
      caller.memory.write(64, "\x2a")
      caller[:double].call(n) + caller["counter"].value
    })
    instance = Wasmer::Instance.new(Fixtures.bytes("caller"), imports(log: log, visit: visit))
    assert_equal 47, instance.exports.run
    assert_equal "Hello, caller", logged
    assert_equal 42, instance.exports.peek
    assert_instance_of Wasmer::Caller, kept

    # Kept past its call, a caller refuses every use.
    error = assert_raises(Wasmer::Error) { kept.memory }
    assert_equal "Wasmer::Caller#memory: a caller can only be used while its host function runs", error.message
    error = assert_raises(Wasmer::Error) { kept[:double] }
    assert_equal "Wasmer::Caller#[]: a caller can only be used while its host function runs", error.message
  end

  def test_errors_name_the_export
    messages = []
    visit = Wasmer::HostFunction.with_caller do |caller, _n|
      [-> { caller[:nope] }, -> { caller[42] }, -> { caller[:double].call("x") }].each do |f|
        f.call
      rescue StandardError => e
        messages << "#{e.class}: #{e.message}"
      end
      0
    end
    instance = Wasmer::Instance.new(Fixtures.bytes("caller"), imports(log: ->(_p, _l) {}, visit: visit))
    assert_equal 0, instance.exports.run
    assert_equal ["Wasmer::Error: the calling instance has no export named `nope`",
                  "TypeError: an export name must be a Symbol or a String, got Integer",
                  "TypeError: double(): argument #1 must be of type i32, String given"], messages
  end

  def test_another_thread_cannot_use_it
    error = nil
    visit = Wasmer::HostFunction.with_caller do |caller, _n|
      thread = Thread.new { caller.memory }
      thread.report_on_exception = false
      thread.join
      0
    rescue Wasmer::Error => e
      error = e
      0
    end
    Wasmer::Instance.new(Fixtures.bytes("caller"), imports(log: ->(_p, _l) {}, visit: visit)).exports.run
    assert_equal "Wasmer::Caller#memory: a caller can only be used by the thread running its host function",
                 error.message
  end

  def test_the_start_functions_imports_see_the_instance_being_made
    wat = '(module (import "env" "log" (func $log (param i32 i32))) (memory (export "memory") 1)
      (data (i32.const 0) "started") (func $s i32.const 0 i32.const 7 call $log) (start $s))'
    seen = nil
    Wasmer::Instance.new(wat, { "env" => { "log" => Wasmer::HostFunction.with_caller { |c, p, n|
      seen = c.memory.read(p, n)
    } } })
    assert_equal "started", seen
  end

  def test_with_caller_takes_one_callable
    assert_raises(ArgumentError) { Wasmer::HostFunction.with_caller }
    assert_raises(ArgumentError) { Wasmer::HostFunction.with_caller(-> {}) { nil } }
    error = assert_raises(TypeError) { Wasmer::HostFunction.with_caller(42) }
    assert_equal "Wasmer::HostFunction.with_caller: expected a Proc, a lambda or a Method, got Integer", error.message
    error = assert_raises(Wasmer::LinkError) do
      Wasmer::Instance.new(Fixtures.bytes("caller"), imports(log: 42, visit: ->(_n) { 0 }))
    end
    assert_equal "link error: import `env`.`log`: expected a Proc, a lambda, a Method or a Wasmer::HostFunction " \
                 "for the function func(i32, i32), Integer given", error.message
  end
end
