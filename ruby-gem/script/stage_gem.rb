# frozen_string_literal: true

# Lays out a self-contained copy of the gem in pkg/stage for `gem build`: the Ruby files,
# the extension crate, and the engine crate it depends on (in the repository the engine is a
# sibling of ruby-gem/, outside the gem), under a small cargo workspace of their own with the
# repository's Cargo.lock, so that `gem install` builds offline with plain cargo.
#
# With --native, lays out pkg/native instead: the Ruby files and the extension already built
# (lib/wasmer/wasmer.so), for a platform gem that installs without a Rust toolchain.
#
# Usage: ruby script/stage_gem.rb [--native]  (from ruby-gem/)

require "fileutils"

gem_dir = File.expand_path("..", __dir__)
root = File.expand_path("..", gem_dir)
stage = File.join(gem_dir, "pkg", "stage")

if ARGV == ["--native"]
  native = File.join(gem_dir, "pkg", "native")
  FileUtils.rm_rf(native)
  Dir.chdir(gem_dir) do
    so = "lib/wasmer/wasmer.so"
    raise "stage_gem.rb: build the extension first (#{so} is missing)" unless File.exist?(so)

    (Dir["README.md", "wasmer.gemspec", "lib/**/*.rb", "sig/**/*.rbs"] + [so]).each do |f|
      FileUtils.mkdir_p(File.join(native, File.dirname(f)))
      FileUtils.cp(f, File.join(native, f))
    end
  end
  %w[LICENSE CHANGELOG.md].each { |f| FileUtils.cp(File.join(root, f), File.join(native, f)) }
  puts "staged the platform gem in #{native}"
  exit
end

FileUtils.rm_rf(stage)
FileUtils.mkdir_p(stage)
Dir.chdir(gem_dir) do
  files = Dir["README.md", "wasmer.gemspec", "lib/**/*.rb", "sig/**/*.rbs",
              "ext/wasmer/extconf.rb", "ext/wasmer/Cargo.toml", "ext/wasmer/src/**/*.rs"]
  files.each do |f|
    FileUtils.mkdir_p(File.join(stage, File.dirname(f)))
    FileUtils.cp(f, File.join(stage, f))
  end
end
# The license and changelog live at the repository's root, for all its packages.
%w[LICENSE CHANGELOG.md].each { |f| FileUtils.cp(File.join(root, f), File.join(stage, f)) }
Dir.chdir(File.join(root, "engine")) do
  (Dir["Cargo.toml", "build.rs", "src/**/*"]).select { |f| File.file?(f) }.each do |f|
    dest = File.join(stage, "ext", "engine", f)
    FileUtils.mkdir_p(File.dirname(dest))
    FileUtils.cp(f, dest)
  end
end

# The gem carries the engine's library only: drop its tests, benches and dev-dependencies
# (their files are not in the gem).
engine_manifest = File.join(stage, "ext", "engine", "Cargo.toml")
kept = []
skipping = false
File.readlines(engine_manifest).each do |line|
  if line.start_with?("[")
    skipping = line.strip.match?(/\A\[\[(test|bench|example)\]\]\z|\A\[dev-dependencies\]\z/)
  end
  kept << line unless skipping
end
File.write(engine_manifest, kept.join)

# The extension finds the engine next to it.
manifest = File.join(stage, "ext", "wasmer", "Cargo.toml")
text = File.read(manifest)
text = text.sub(%r{path = "\.\./\.\./\.\./engine"}, 'path = "../engine"')
raise "stage_gem.rb: engine path not found in #{manifest}" unless text.include?('path = "../engine"')

File.write(manifest, text)

# A workspace of the two crates, with the repository's shared package fields and profile.
workspace = File.read(File.join(root, "Cargo.toml"))
# The lines of a table, from its header up to the next header.
table = lambda do |header|
  lines = workspace.lines.drop_while { |l| l.strip != header }
  return "" if lines.empty?

  [lines.first, *lines.drop(1).take_while { |l| !l.start_with?("[") }].join
end
package = table.call("[workspace.package]")
raise "no [workspace.package] in the workspace Cargo.toml" if package.empty?

profile = table.call("[profile.release]")
File.write(File.join(stage, "ext", "Cargo.toml"), <<~TOML)
  # The workspace of the gem's two crates (written by script/stage_gem.rb).
  [workspace]
  resolver = "2"
  members = ["wasmer", "engine"]

  #{package.strip}

  #{profile.strip}
TOML
FileUtils.cp(File.join(root, "Cargo.lock"), File.join(stage, "ext", "Cargo.lock"))
puts "staged the gem in #{stage}"
