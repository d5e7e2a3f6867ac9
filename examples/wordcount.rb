# A WASI program compiled from C (wordcount.c, like `wc`) run from Ruby: the directory
# examples/data is preopened as /data, the program's output is captured.
require "wasmer"

wasm = File.binread(File.join(__dir__, "wordcount.wasm"))
mod = Wasmer::Module.new(wasm) # compiled once, run three times

wasi = Wasmer::Wasi.new(args: ["wordcount", "/data/poem.txt"],
                        preopens: { "/data" => { path: File.join(__dir__, "data"), readonly: true } })
status = wasi.run(mod)
puts "wordcount /data/poem.txt → exit status #{status}", wasi.stdout

# Standard input instead of a file.
wasi = Wasmer::Wasi.new(args: ["wordcount"], stdin: "one two three\nfour\n")
wasi.run(mod)
print "wordcount < (2 lines) → ", wasi.stdout

# Outside its preopens the program sees nothing: /etc/passwd does not exist for it.
wasi = Wasmer::Wasi.new(args: ["wordcount", "/etc/passwd"], preopens: { "/data" => File.join(__dir__, "data") })
status = wasi.run(mod)
print "wordcount /etc/passwd → exit status #{status}: ", wasi.stderr
