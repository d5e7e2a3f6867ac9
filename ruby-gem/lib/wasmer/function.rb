# frozen_string_literal: true

module Wasmer
  # Ruby-side helpers of {Wasmer::Function}.
  class Function
    # A lambda calling the function, so that `&function` works.
    #
    # @return [Proc]
    def to_proc
      function = self
      ->(*args) { function.call(*args) }
    end
  end
end
