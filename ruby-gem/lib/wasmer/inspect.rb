# frozen_string_literal: true

# `inspect` for the wasm objects, so that `p`, irb and error messages show what they are: an
# instance's exports, a module's imports and exports, a memory's size, a global's type and
# value, a function's signature. Types read as in PHP (`func(i32) -> i32`).
module Wasmer
  # @api private
  module Inspect
    # `name: type` for each export of a name => type Hash, joined.
    def self.exports(types) = types.map { |name, type| "#{name}: #{type}" }.join(", ")
  end
  private_constant :Inspect

  class Instance
    # @return [String] e.g. `#<Wasmer::Instance exports: sum: func(i32, i32) -> i32, memory: memory(1)>`
    def inspect = "#<#{self.class} exports: #{Inspect.exports(self.module.exports)}>"
  end

  class Module
    # @return [String] e.g. `#<Wasmer::Module imports: env.log: func(i32), exports: run: func()>`
    def inspect
      "#<#{self.class} imports: #{imports.join(', ')}, exports: #{Inspect.exports(exports)}>"
    end
  end

  class Function
    # @return [String] e.g. `#<Wasmer::Function sum: func(i32, i32) -> i32>`
    def inspect = "#<#{self.class} #{name ? "#{name}: " : ''}#{type}>"
  end

  class Memory
    # @return [String] e.g. `#<Wasmer::Memory 2 pages (131072 bytes), maximum 16>`
    def inspect = "#<#{self.class} #{pages} pages (#{data_size} bytes)#{maximum ? ", maximum #{maximum}" : ''}>"
  end

  class Global
    # @return [String] e.g. `#<Wasmer::Global global(mut i32) = 3>`
    def inspect = "#<#{self.class} #{type} = #{value.inspect}>"
  end

  class Table
    # @return [String] e.g. `#<Wasmer::Table table(2, funcref), size 2>`
    def inspect = "#<#{self.class} #{type}, size #{size}>"
  end
end
