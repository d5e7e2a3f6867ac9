# frozen_string_literal: true

require_relative "test_helper"

# The conversion table shared with the PHP suite (tests/fixtures/conversions.tsv): each row
# as an argument of `id_<type>` and as the result of the import behind `from_host_<type>`.
class ConversionsTest < Minitest::Test
  TABLE = File.join(Fixtures::ROOT, "tests", "fixtures", "conversions.tsv")
  ERRORS = { "type" => TypeError, "range" => RangeError, "length" => ArgumentError }.freeze

  Row = Struct.new(:spec, :type, :outcome, :message)

  def rows
    File.readlines(TABLE, chomp: true).reject { |l| l.empty? || l.start_with?("#") }.map do |line|
      Row.new(*line.split("\t", 4))
    end
  end

  def value(spec, exports)
    kind, text = spec.split(":", 2)
    case kind
    when "int" then Integer(text)
    when "float" then Float(text)
    when "bool" then text == "true"
    when "string" then text.to_s
    when "bytes" then [text].pack("H*")
    when "null" then nil
    when "list" then []
    when "object" then Object.new
    when "func" then exports.answer_ref
    else raise "unknown value #{spec}"
    end
  end

  # The name messages give the type of a value: its class, or nil, true, false.
  def given(v)
    case v
    when nil, true, false then v.inspect
    else v.class.name
    end
  end

  def same?(got, expected, given)
    kind, text = expected.split(":", 2)
    if expected == "same"
      got.equal?(given)
    elsif expected == "null"
      got.nil?
    elsif kind == "func"
      got.is_a?(Wasmer::Function) && got.call == Integer(text)
    elsif kind == "bytes"
      got.is_a?(String) && got.encoding == Encoding::BINARY && got == [text].pack("H*")
    elsif kind == "int"
      got.is_a?(Integer) && got == Integer(text)
    else
      want = Float(text)
      got.is_a?(Float) && got == want && (1.0 / got).negative? == (1.0 / want).negative?
    end
  end

  def test_the_table
    current = nil
    host = %w[i32 i64 f32 f64 v128 funcref externref].to_h { |t| [t, -> { current }] }
    exports = Wasmer::Instance.new(Fixtures.bytes("conversions"), { "host" => host }).exports
    rows = self.rows
    assert_operator rows.size, :>, 20
    failures = []
    rows.each do |row|
      v = value(row.spec, exports)
      argument_message = row.message.to_s.sub("{given}", given(v))
      result_message = argument_message.sub(/\Aid_(\w+)\(\): argument #1/, 'host.\1(): return value').sub(/ given\z/, " returned")
      cases = {
        "argument" => [-> { exports.public_send("id_#{row.type}", v) }, argument_message],
        "result" => [-> { current = v; exports.public_send("from_host_#{row.type}") }, result_message]
      }
      cases.each do |what, (call, message)|
        got = call.call
        failures << "#{what} #{row.spec} as #{row.type}: got #{got.inspect}, expected #{row.outcome}" if ERRORS.key?(row.outcome) || !same?(got, row.outcome, v)
      rescue StandardError => e
        expected = ERRORS[row.outcome]
        next if e.class == expected && e.message == message

        failures << "#{what} #{row.spec} as #{row.type}: #{e.class}: #{e.message} (expected #{expected.inspect}: #{message})"
      end
    end
    assert_empty failures, failures.join("\n")
  end
end
