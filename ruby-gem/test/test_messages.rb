# frozen_string_literal: true

require_relative "test_helper"

# The message table shared with the PHP suite (tests/fixtures/messages.tsv): each error's class
# and the first line of its message, caused the same way in both languages.
class MessagesTest < Minitest::Test
  TABLE = File.join(Fixtures::ROOT, "tests", "fixtures", "messages.tsv")

  def cases
    bytes = Fixtures.bytes("messages")
    imports = { "env" => { "f" => ->(_x) { "seven" }, "g" => 1 } }
    i = Wasmer::Instance.new(bytes, imports)
    e = i.exports
    {
      "no_import_module" => -> { Wasmer::Instance.new(bytes) },
      "no_import_field" => -> { Wasmer::Instance.new(bytes, { "env" => { "g" => 1 } }) },
      "divide_by_zero" => -> { e.div(1, 0) },
      "integer_overflow" => -> { e.div(-2**31, -1) },
      "unreachable" => -> { e.unreachable },
      "memory_out_of_bounds" => -> { e.oob },
      "stack_overflow" => -> { e.rec(0) },
      "indirect_call_to_null" => -> { e.null_call },
      "host_result_type" => -> { e.via_host(1) },
      "too_few_arguments" => -> { e.div(1) },
      "too_many_arguments" => -> { e.div(1, 2, 3) },
      "argument_type" => -> { e.div(1, "2") },
      "argument_range" => -> { e.div(2**32, 1) },
      "no_such_global" => -> { e[:nope] },
      "memory_read_outside" => -> { i.memory.read(65_530, 10) },
      "memory_write_outside" => -> { i.memory.write(65_535, "ab") },
      "malformed_module" => -> { Wasmer::Instance.new("\0asm\1\0\0\0\xff".b) },
      "invalid_text" => -> { Wasmer::Instance.new("(module") },
      "table_index_outside" => -> { e.table[7] },
      "function_of_another_store" => -> { e.table[1] = Wasmer::Instance.new(bytes, imports).exports.table[0] }
    }
  end

  def test_the_table
    cases = self.cases
    rows = File.readlines(TABLE, chomp: true).reject { |l| l.empty? || l.start_with?("#") }.map { |l| l.split("\t") }
    assert_equal cases.keys.sort, rows.map(&:first).sort, "each case has one row"
    failures = rows.filter_map do |name, _php, klass, message|
      message = message.gsub("{given}", "String").gsub("{memory}", "Wasmer::Memory#")
                       .gsub("{table.get}", "Wasmer::Table#[]").gsub("{table.set}", "Wasmer::Table#[]=")
      cases.fetch(name).call
      "#{name}: no exception"
    rescue StandardError => e
      first = e.message.lines.first.chomp
      "#{name}: #{e.class}: #{first} (expected #{klass}: #{message})" unless e.class.name == klass && first == message
    end
    assert_empty failures, failures.join("\n")
  end
end
