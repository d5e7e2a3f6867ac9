# frozen_string_literal: true

require_relative "test_helper"

class MemoryTest < Minitest::Test
  def setup
    @instance = Wasmer::Instance.new(Fixtures.module("ruby_types"))
    @memory = @instance.memory
  end

  def test_read_and_write
    assert_equal 5, @memory.write(100, "hello")
    data = @memory.read(100, 5)
    assert_equal "hello", data
    assert_equal Encoding::ASCII_8BIT, data.encoding
    assert_equal "\x00\x00".b, @memory.read(0, 2)
    assert_equal "", @memory.read(10, 0)
    @memory.write(0, "\xff\x00\x80".b)
    assert_equal 255, @instance.exports.load(0)
    assert_equal 128, @instance.exports.load(2)
  end

  def test_wasm_writes_are_visible
    @instance.exports.store(7, 65)
    assert_equal "A", @memory.read(7, 1)
  end

  def test_read_cstring
    @memory.write(200, "Hello\0World")
    assert_equal "Hello", @memory.read_cstring(200)
    assert_equal "World", @memory.read_cstring(206)
    assert_equal "", @memory.read_cstring(300)
  end

  def test_memory_example
    instance = Wasmer::Instance.new(Fixtures.bytes("memory"))
    pointer = instance.exports.greet
    assert_equal "Hello, World!", instance.memory.read_cstring(pointer)
    assert_equal 13, instance.exports.string_length(pointer)
  end

  def test_out_of_bounds_is_an_index_error
    size = @memory.size
    assert_raises(IndexError) { @memory.read(size - 1, 2) }
    assert_raises(IndexError) { @memory.read(size, 1) }
    assert_raises(IndexError) { @memory.read(-1, 1) }
    assert_raises(IndexError) { @memory.read(0, -1) }
    assert_raises(IndexError) { @memory.read(2**70, 1) }
    assert_raises(IndexError) { @memory.write(size - 2, "abc") }
    assert_raises(IndexError) { @memory.write(-5, "a") }
    assert_raises(IndexError) { @memory.read_cstring(size + 1) }
    assert_raises(TypeError) { @memory.write(0, 42) }
    assert_raises(TypeError) { @memory.read("0", 1) }
  end

  def test_size_pages_and_grow
    assert_equal 65_536, @memory.size
    assert_equal 1, @memory.pages
    assert_equal 4, @memory.maximum
    assert_equal 1, @memory.grow(2)
    assert_equal 3, @memory.pages
    assert_equal 3 * 65_536, @memory.size
    assert_equal 3, @memory.grow(0)
    e = assert_raises(Wasmer::Error) { @memory.grow(2) }
    assert_match(/grow/, e.message)
    assert_equal 3, @memory.pages
    assert_equal 3, @instance.exports.mem_grow(1)
    assert_equal 4, @memory.pages
    assert_equal(-1, @instance.exports.mem_grow(1))
    assert_raises(Wasmer::Error) { @memory.grow(1) }
    assert_equal 4, @memory.type.minimum
  end

  def test_uint8_view
    view = @memory.uint8_view
    assert_kind_of Wasmer::MemoryView, view
    assert_instance_of Wasmer::Uint8View, view
    assert_equal 1, view.bytes_per_element
    assert_equal 65_536, view.length
    view[0] = 255
    view[1] = -1
    assert_equal 255, view[0]
    assert_equal 255, view[1]
    assert_equal "\xff\xff".b, @memory.read(0, 2)
    assert_raises(RangeError) { view[0] = 256 }
    assert_raises(RangeError) { view[0] = -129 }
    assert_raises(TypeError) { view[0] = "x" }
    assert_raises(TypeError) { view[0] = 1.5 }
    assert_raises(TypeError) { view["0"] }
  end

  def test_view_offset_in_bytes
    @memory.write(10, "\x01\x02\x03".b)
    view = @memory.uint8_view(10)
    assert_equal 10, view.offset
    assert_equal [1, 2, 3], view.first(3)
    assert_equal 65_536 - 10, view.length
    assert_equal 3, @memory.uint8_view(12)[0]
  end

  def test_index_out_of_range_is_an_index_error
    view = @memory.uint8_view
    assert_raises(IndexError) { view[view.length] }
    assert_raises(IndexError) { view[-1] }
    assert_raises(IndexError) { view[2**80] }
    assert_raises(IndexError) { view[view.length] = 1 }
    u32 = @memory.uint32_view(65_534)
    assert_equal 0, u32.length
    assert_raises(IndexError) { u32[0] }
  end

  def test_typed_views_are_little_endian
    @memory.write(0, [0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff].pack("C*"))
    assert_equal 0x0201, @memory.uint16_view[0]
    assert_equal 0x04030201, @memory.uint32_view[0]
    assert_equal 0x04030201, @memory.int32_view[0]
    assert_equal(-1, @memory.int32_view[1])
    assert_equal 0xffffffff, @memory.uint32_view[1]
    assert_equal(-1, @memory.int16_view[2])
    assert_equal 0xffff, @memory.uint16_view[3]
    assert_equal(-1, @memory.int8_view[4])
    assert_equal 0x0201, @memory.uint16_view(0)[0]
    assert_equal 0x0302, @memory.uint16_view(1)[0]
  end

  def test_every_view_kind
    kinds = {
      uint8_view: [Wasmer::Uint8View, 1], int8_view: [Wasmer::Int8View, 1],
      uint16_view: [Wasmer::Uint16View, 2], int16_view: [Wasmer::Int16View, 2],
      uint32_view: [Wasmer::Uint32View, 4], int32_view: [Wasmer::Int32View, 4],
      float32_view: [Wasmer::Float32View, 4], float64_view: [Wasmer::Float64View, 8]
    }
    kinds.each do |method, (klass, size)|
      view = @memory.public_send(method)
      assert_instance_of klass, view
      assert_equal size, view.bytes_per_element
      assert_equal 65_536 / size, view.length
    end
    i16 = @memory.int16_view
    i16[0] = -2
    assert_equal(-2, i16[0])
    assert_equal 65_534, @memory.uint16_view[0]
    assert_raises(RangeError) { i16[0] = 65_536 }
    u32 = @memory.uint32_view
    u32[1] = 2**32 - 1
    assert_equal(-1, @memory.int32_view[1])
    f32 = @memory.float32_view
    f32[2] = 1.5
    assert_equal 1.5, f32[2]
    f32[2] = 3
    assert_equal 3.0, f32[2]
    f64 = @memory.float64_view
    f64[3] = 0.1
    assert_equal 0.1, f64[3]
    assert_equal [0.1].pack("E"), @memory.read(24, 8)
    assert_raises(TypeError) { f64[0] = nil }
  end

  def test_view_follows_grow
    view = @memory.uint8_view
    u64 = @memory.float64_view(8)
    assert_equal 65_536, view.length
    @memory.grow(1)
    assert_equal 131_072, view.length
    assert_equal (131_072 - 8) / 8, u64.length
    view[100_000] = 7
    assert_equal 7, view[100_000]
    assert_equal "\x07".b, @memory.read(100_000, 1)
  end

  def test_enumerable
    @memory.write(0, "\x05\x06\x07".b)
    view = @memory.uint8_view(65_533)
    assert_equal [0, 0, 0], view.to_a
    assert_equal [5, 6, 7], @memory.uint8_view.each.first(3)
    assert_equal 3, view.count
    assert_kind_of Enumerable, view
    assert_equal [10, 12], @memory.uint8_view.first(2).map { |x| x * 2 }
  end
end
