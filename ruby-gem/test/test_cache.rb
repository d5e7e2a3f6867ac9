# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "tmpdir"

# The module cache (memory and disk), serialize / deserialize, WebAssembly text, and
# compiling without the GVL.
class CacheTest < Minitest::Test
  # A module of its own for each use (a custom section with a fresh name), so that no other
  # test has cached it.
  def unique(bytes = Fixtures.bytes("ruby_types"))
    @n = (@n || 0) + 1
    tag = "t#{Process.pid}-#{object_id}-#{@n}"
    bytes + [0, tag.bytesize + 1, tag.bytesize].pack("C*") + tag
  end

  def delta(before) = Wasmer::Module.cache_stats.to_h { |k, v| [k, v - before[k]] }

  def test_the_same_bytes_compile_once
    bytes = unique
    before = Wasmer::Module.cache_stats
    3.times { Wasmer::Instance.new(bytes) }
    assert_equal({ compiled: 1, memory_hits: 2, disk_hits: 0 }, delta(before))
  end

  def test_webassembly_text
    exports = Wasmer::Instance.new('(module (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))').exports
    assert_equal 42, exports.twice(21)
    e = assert_raises(Wasmer::CompileError) { Wasmer::Module.new("(module\n  (func (result i32) i32.const))") }
    assert_match(/invalid WebAssembly text: .*:2:\d+/m, e.message)
    e = assert_raises(Wasmer::CompileError) { Wasmer::Module.new("Dear reader,") }
    assert_match(/neither the \\0asm header of a binary module nor WebAssembly text/, e.message)
  end

  def test_serialize_round_trip_and_damage
    mod = Wasmer::Module.new(Fixtures.bytes("ruby_traps"))
    blob = mod.serialize
    assert_equal Encoding::BINARY, blob.encoding
    back = Wasmer::Module.deserialize(blob)
    assert_equal mod.exports.transform_values(&:to_s), back.exports.transform_values(&:to_s)
    assert_equal blob, back.serialize
    {
      "not a module" => /not a serialized module/,
      blob[0, blob.bytesize / 2] => /cannot load the serialized module/,
      blob.dup.tap { |b| b.setbyte(100, b.getbyte(100) ^ 1) } => /checksum does not match/
    }.each do |bytes, message|
      e = assert_raises(Wasmer::CompileError) { Wasmer::Module.deserialize(bytes) }
      assert_match message, e.message
    end
  end

  def test_the_disk_cache_serves_a_fresh_process
    Dir.mktmpdir do |tmp|
      dir = File.join(tmp, "modules")
      bytes = unique
      begin
        Wasmer.cache_dir = Pathname.new(dir)
        assert_equal dir, Wasmer.cache_dir
        Wasmer::Module.new(bytes)
      ensure
        Wasmer.cache_dir = nil
      end
      assert_equal 0o700, File.stat(dir).mode & 0o777
      assert_equal 1, Dir[File.join(dir, "*.wasmc")].size
      # Under valgrind this process bounds-checks its memories and the child does not: code
      # for one is not code for the other, so the child compiles its own.
      skip "the child runs outside valgrind, with other code" if ENV["WASM_MEMCHECK"]
      script = 'require "wasmer"; Wasmer::Module.new($stdin.binmode.read); p Wasmer::Module.cache_stats'
      out, status = Open3.capture2({ "WASMER_CACHE_DIR" => dir }, RbConfig.ruby, "-I", File.join(Fixtures::ROOT, "ruby-gem", "lib"),
                                   "-e", script, stdin_data: bytes, binmode: true)
      assert status.success?
      assert_equal "{:compiled=>0, :memory_hits=>0, :disk_hits=>1}\n", out
    end
  end

  def test_a_cache_directory_that_cannot_be_made_still_compiles
    Wasmer.cache_dir = File.join(__FILE__, "not-a-directory")
    assert_equal 5, Wasmer::Instance.new(unique).exports.add_i32(2, 3)
  ensure
    Wasmer.cache_dir = nil
  end

  def test_other_threads_run_while_a_large_module_compiles
    bytes = unique(File.binread(File.join(Fixtures::ROOT, "bench", "sqlite.wasm")))
    count = 0
    counter = Thread.new { loop { count += 1 } }
    sleep 0.05
    start = count
    Wasmer::Module.new(bytes)
    advanced = count - start
    counter.kill
    assert_operator advanced, :>, 100_000, "the counter thread stood still during the compile"
  end
end
