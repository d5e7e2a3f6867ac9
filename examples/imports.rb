# frozen_string_literal: true

# Host functions: examples/imports.wasm imports env.add(i32, i32) -> i32 and
# env.log_number(i32), and exports run(i32) -> i32, which returns add(n, 100) after logging it.
#
#   ruby -Iruby-gem/lib examples/imports.rb

require "wasmer"

module Host
  def self.log_number(n)
    puts "  wasm logged #{n}"
  end
end

instance = Wasmer::Instance.new(
  File.binread(File.join(__dir__, "imports.wasm")),
  {
    "env" => {
      "add" => ->(a, b) { a + b },             # a lambda
      "log_number" => Host.method(:log_number) # a Method
    }
  }
)
puts "run(5):"
puts "  run(5) = #{instance.exports.run(5)}"
