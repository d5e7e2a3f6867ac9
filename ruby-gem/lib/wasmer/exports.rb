# frozen_string_literal: true

module Wasmer
  # Ruby-side helpers of {Wasmer::Exports} (the class is defined by the native extension).
  # Exports deliberately does not include Enumerable: its methods (sum, min, map...) would
  # shadow exports of the same name.
  class Exports
    # Yields each export name and object.
    #
    # @yieldparam name [String]
    # @yieldparam export [Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table]
    # @return [self, Enumerator]
    def each(&block)
      return enum_for(:each) { length } unless block

      names.zip(values).each { |name, export| block.call(name, export) }
      self
    end

    # @return [Hash{String => Wasmer::Function, Wasmer::Memory, Wasmer::Global, Wasmer::Table}]
    def to_h = names.zip(values).to_h
  end
end
