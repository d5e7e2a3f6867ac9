# frozen_string_literal: true

module Wasmer
  # Ruby-side helpers of {Wasmer::MemoryView}: each element, and Enumerable.
  class MemoryView
    include Enumerable

    # Yields each element, from index 0 to length - 1 (read as the loop goes).
    #
    # @yieldparam element [Integer, Float]
    # @return [self, Enumerator]
    def each
      return enum_for(:each) { length } unless block_given?

      i = 0
      while i < length
        yield self[i]
        i += 1
      end
      self
    end
  end
end
