# frozen_string_literal: true

# Wasmer: run WebAssembly modules from Ruby.
#
# @example
#   require "wasmer"
#   instance = Wasmer::Instance.new(File.binread("sum.wasm"))
#   instance.exports.sum(5, 37) # => 42
module Wasmer
end

require_relative "wasmer/version"
require_relative "wasmer/types"
# The native extension: lib/wasmer/wasmer.so in a checkout, the gem's extension directory
# once installed.
require "wasmer/wasmer"
require_relative "wasmer/exports"
require_relative "wasmer/function"
require_relative "wasmer/memory_view"
require_relative "wasmer/inspect"
