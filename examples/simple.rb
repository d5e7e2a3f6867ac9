# frozen_string_literal: true

# The smallest example: examples/sum.wasm (from sum.wat) exports sum(i32, i32) -> i32.
#
#   ruby -Iruby-gem/lib examples/simple.rb

require "wasmer"

instance = Wasmer::Instance.new(File.binread(File.join(__dir__, "sum.wasm")))
puts "sum(5, 37) = #{instance.exports.sum(5, 37)}"
