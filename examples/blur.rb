# SIMD: blur.wasm (from blur.c, built with -msimd128) blurs a 1024x1024 grayscale image in
# its memory. Ruby writes a gradient image in, runs the blur, and reads a row back; the same
# code built without SIMD (blur_scalar.wasm) gives the same pixels, several times slower.
#   ruby -Iruby-gem/lib examples/blur.rb
require "wasmer"

W = 1024
image = (0...W).map { |y| (y & 0xff).chr * (W / 2) + (255 - (y & 0xff)).chr * (W / 2) }.join.b
{ "blur.wasm" => "SIMD", "blur_scalar.wasm" => "scalar" }.each do |file, kind|
  instance = Wasmer::Instance.new(File.binread(File.join(__dir__, file)))
  instance.memory.write(instance.exports.image, image)
  start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  sum = instance.exports.blur(20)
  ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000
  row = instance.memory.read(instance.exports.result + 300 * W + W / 2 - 3, 6)
  printf("%-6s: 20 blurs in %6.1f ms, pixel sum %d, pixels around the edge of row 300: %s\n",
         kind, ms, sum, row.bytes.join(" "))
end
