# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"

# The gemspec's homepage and links come from the repository's public remote, if any.
class GemspecTest < Minitest::Test
  GEMSPEC = File.expand_path("../wasmer.gemspec", __dir__)

  def spec_with_origin(origin)
    Dir.mktmpdir do |dir|
      FileUtils.cp(GEMSPEC, dir)
      FileUtils.mkdir_p(File.join(dir, "lib", "wasmer"))
      FileUtils.cp(File.expand_path("../lib/wasmer/version.rb", __dir__), File.join(dir, "lib", "wasmer"))
      system("git", "-C", dir, "init", "-q", exception: true)
      system("git", "-C", dir, "remote", "add", "origin", origin, exception: true) if origin
      # Each copy defines Wasmer::VERSION again, from its own path.
      verbose, $VERBOSE = $VERBOSE, nil
      begin
        Gem::Specification.load(File.join(dir, "wasmer.gemspec"))
      ensure
        $VERBOSE = verbose
      end
    end
  end

  def test_homepage_from_the_public_remote
    %w[git@github.com:acme/wasm.git https://github.com/acme/wasm.git https://github.com/acme/wasm].each do |origin|
      spec = spec_with_origin(origin)
      assert_equal "https://github.com/acme/wasm", spec.homepage, origin
      assert_equal "https://github.com/acme/wasm/blob/main/CHANGELOG.md", spec.metadata["changelog_uri"]
    end
  end

  def test_no_homepage_without_a_public_remote
    [nil, "/srv/git/wasm"].each do |origin|
      spec = spec_with_origin(origin)
      assert_nil spec.homepage, origin.inspect
      refute spec.metadata.key?("source_code_uri")
    end
  end
end
