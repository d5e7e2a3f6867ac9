# frozen_string_literal: true

require_relative "test_helper"
require "stringio"
require "tmpdir"

# Wasmer::Wasi's plumbing, on tests/fixtures/wasi_guest.wat: its _start echoes stdin, writes
# "oops" to stderr and exits with 10 * argc + envc.
class WasiTest < Minitest::Test
  def guest = Fixtures.bytes("wasi_guest")

  def test_run_passes_args_env_and_stdin_and_captures_output
    wasi = Wasmer::Wasi.new(args: %w[guest a b], env: { "A" => "1", B: "2" }, stdin: "from Ruby\n")
    assert_equal 32, wasi.run(guest)
    assert_equal "from Ruby\n", wasi.stdout
    assert_equal Encoding::BINARY, wasi.stdout.encoding
    assert_equal "oops", wasi.stderr
  end

  def test_run_takes_a_module_and_defaults_to_nothing
    wasi = Wasmer::Wasi.new
    assert_equal 0, wasi.run(Wasmer::Module.new(guest))
    assert_equal "", wasi.stdout
  end

  def test_output_to_an_io_or_nowhere
    out = StringIO.new
    wasi = Wasmer::Wasi.new(stdin: StringIO.new("piped"), stdout: out, stderr: :discard)
    wasi.run(guest)
    assert_equal "piped", out.string
    assert_equal "", wasi.stderr
  end

  def test_preopens_are_writable_unless_read_only
    Dir.mktmpdir do |dir|
      [[{ "/data" => dir }, 0, true], [{ "/data" => { path: dir, readonly: true } }, 63, false]].each do |preopens, errno, made|
        instance = Wasmer::Instance.new(guest, {}, wasi: Wasmer::Wasi.new(preopens: preopens))
        instance.exports.memory.write(1024, "made.txt")
        assert_equal errno, instance.exports.create(8)
        assert_equal made, File.exist?(File.join(dir, "made.txt"))
        FileUtils.rm_f(File.join(dir, "made.txt"))
      end
    end
  end

  def test_an_instance_with_wasi_is_initialized_and_proc_exit_raises_exit
    instance = Wasmer::Instance.new(guest, {}, wasi: Wasmer::Wasi.new)
    assert_equal 1, instance.exports.initialized
    e = assert_raises(Wasmer::Exit) { instance.exports.exit(42) }
    assert_equal 42, e.status
    assert_equal "the program exited with status 42", e.message
    assert_kind_of Wasmer::Error, e
  end

  def test_without_wasi_the_link_error_says_how
    e = assert_raises(Wasmer::LinkError) { Wasmer::Instance.new(guest) }
    assert_match(/wasi: Wasmer::Wasi.new/, e.message)
  end

  def test_bad_options_name_themselves
    {
      -> { Wasmer::Wasi.new(args: ["ok", 5]) } => [TypeError, "args[1] must be a String, got Integer"],
      -> { Wasmer::Wasi.new(env: { "A=B" => "x" }) } => [ArgumentError, 'the variable name "A=B"'],
      -> { Wasmer::Wasi.new(env: { "A" => "x\0y" }) } => [ArgumentError, 'the value of "A" contains a NUL'],
      -> { Wasmer::Wasi.new(preopens: { "/data" => "/no/such/directory" }) } => [ArgumentError, "preopen `/data`"],
      -> { Wasmer::Wasi.new(preopens: { "/data" => { readonly: true } }) } => [ArgumentError, 'preopens["/data"] has no :path'],
      -> { Wasmer::Wasi.new(stdin: 42) } => [TypeError, "stdin: must be a String, an IO or nil"],
      -> { Wasmer::Wasi.new(stdout: :loud) } => [ArgumentError, "stdout: must be :capture"],
      -> { Wasmer::Wasi.new.run(3.5) } => [TypeError, "Wasmer::Wasi#run expects a Wasmer::Module"],
      -> { Wasmer::Instance.new(guest, {}, wasi: 1) } => [TypeError, "wasi: must be a Wasmer::Wasi"]
    }.each do |call, (error, text)|
      e = assert_raises(error) { call.call }
      assert_includes e.message, text
    end
  end

  def test_the_wordcount_example
    out = IO.popen([RbConfig.ruby, "-I", File.join(Fixtures::ROOT, "ruby-gem", "lib"),
                    File.join(Fixtures::ROOT, "examples", "wordcount.rb")], &:read)
    assert_includes out, "      4      25     132 /data/poem.txt"
    assert_includes out, "wordcount < (2 lines) →       2       4      19"
    assert_includes out, "wordcount /etc/passwd → exit status 1: wordcount: /etc/passwd: Capabilities insufficient"
  end
end
