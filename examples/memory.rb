# frozen_string_literal: true

# Linear memory: examples/memory.wasm exports greet(), a pointer to "Hello, World!" in its
# memory, and string_length(ptr).
#
#   ruby -Iruby-gem/lib examples/memory.rb

require "wasmer"

instance = Wasmer::Instance.new(File.binread(File.join(__dir__, "memory.wasm")))
memory = instance.memory
pointer = instance.exports.greet
puts "greet() = #{pointer}, the string there: #{memory.read_cstring(pointer).inspect}"
puts "string_length(#{pointer}) = #{instance.exports.string_length(pointer)}"

# Write a string of our own and let wasm measure it; read it back through a view.
memory.write(4096, "Ruby and wasm\0")
puts "string_length(4096) = #{instance.exports.string_length(4096)}"
bytes = memory.uint8_view(4096).first(4)
puts "uint8_view(4096).first(4) = #{bytes.inspect} (#{bytes.pack('C*')})"
puts "memory: #{memory.pages} pages, #{memory.size} bytes"
