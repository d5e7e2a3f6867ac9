# frozen_string_literal: true

module Wasmer
  # The signature of a function.
  #
  # @!attribute params
  #   @return [Array<Symbol>] e.g. [:i32, :i64]
  # @!attribute results
  #   @return [Array<Symbol>]
  FunctionType = Struct.new(:params, :results) do
    # @return [Symbol] :function
    def kind = :function

    # @return [String] e.g. "func(i32, i32) -> i32"
    def to_s
      s = "func(#{params.join(', ')})"
      case results.size
      when 0 then s
      when 1 then "#{s} -> #{results[0]}"
      else "#{s} -> (#{results.join(', ')})"
      end
    end
  end

  # The limits of a memory, in 64 KiB pages.
  #
  # @!attribute minimum
  #   @return [Integer]
  # @!attribute maximum
  #   @return [Integer, nil]
  MemoryType = Struct.new(:minimum, :maximum) do
    # @return [Symbol] :memory
    def kind = :memory

    # @return [String]
    def to_s = maximum ? "memory(#{minimum}, #{maximum})" : "memory(#{minimum})"
  end

  # The type of a global.
  #
  # @!attribute type
  #   @return [Symbol] :i32, :i64, :f32, :f64, :v128, :funcref or :externref
  # @!attribute mutable
  #   @return [Boolean]
  GlobalType = Struct.new(:type, :mutable) do
    # @return [Symbol] :global
    def kind = :global

    # @return [Boolean]
    def mutable? = mutable

    # @return [String]
    def to_s = mutable ? "global(mut #{type})" : "global(#{type})"
  end

  # The type of a table.
  #
  # @!attribute element
  #   @return [Symbol] :funcref or :externref
  # @!attribute minimum
  #   @return [Integer]
  # @!attribute maximum
  #   @return [Integer, nil]
  TableType = Struct.new(:element, :minimum, :maximum) do
    # @return [Symbol] :table
    def kind = :table

    # @return [String]
    def to_s = "table(#{minimum}#{maximum ? ", #{maximum}" : ''}, #{element})"
  end

  # One frame of a trap's wasm backtrace ({Wasmer::Trap#wasm_backtrace}).
  #
  # @!attribute function
  #   @return [Integer, nil] the wasm function's index; nil for a host function (an import
  #     that called wasm again)
  # @!attribute name
  #   @return [String, nil] its name: the name section's, else an export's, else "func[N]"
  # @!attribute offset
  #   @return [Integer, nil] the byte offset in the module of the instruction that trapped,
  #     or of the call the frame was in
  Frame = Struct.new(:function, :name, :offset) do
    # @return [Boolean] whether this is a host function's frame
    def host? = function.nil?

    # @return [String] as the trap's message shows it
    def to_s = host? ? "<host function>" : "#{offset ? format('%#6x', offset) : ' ' * 6} - #{name}"
  end

  # An import of a module: its module name, field name and type.
  #
  # @!attribute module
  #   @return [String]
  # @!attribute name
  #   @return [String]
  # @!attribute type
  #   @return [FunctionType, MemoryType, GlobalType, TableType]
  ImportType = Struct.new(:module, :name, :type) do
    # @return [Symbol] :function, :memory, :global or :table
    def kind = type.kind

    # @return [String]
    def to_s = "#{self.module}.#{name}: #{type}"
  end
end
