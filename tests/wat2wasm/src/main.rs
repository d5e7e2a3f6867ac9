//! `cargo run -q -p wat2wasm -- tests/foo.wat [more.wat ...]`
//! Encodes each text module to binary, writing `foo.wasm` next to `foo.wat`
//! (or to the path given with `-o out.wasm` when there is one input).
//! Function names given in the text (`$name`) go into the name section.

use std::path::PathBuf;
use std::process::ExitCode;

fn encode(text: &str) -> Result<Vec<u8>, wast::Error> {
    let buf = wast::parser::ParseBuffer::new(text)?;
    let mut wat = wast::parser::parse::<wast::Wat>(&buf)?;
    wat.encode()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut output = None;
    if let Some(i) = args.iter().position(|a| a == "-o") {
        if i + 1 >= args.len() {
            eprintln!("wat2wasm: -o needs a path");
            return ExitCode::FAILURE;
        }
        output = Some(PathBuf::from(args.remove(i + 1)));
        args.remove(i);
    }
    if args.is_empty() || (output.is_some() && args.len() != 1) {
        eprintln!("usage: wat2wasm FILE.wat [FILE.wat ...] | wat2wasm FILE.wat -o OUT.wasm");
        return ExitCode::FAILURE;
    }
    let mut status = ExitCode::SUCCESS;
    for input in &args {
        let input = PathBuf::from(input);
        let result = std::fs::read_to_string(&input)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                encode(&text).map_err(|mut e| {
                    e.set_path(&input);
                    e.set_text(&text);
                    e.to_string()
                })
            });
        match result {
            Ok(bytes) => {
                let out = output.clone().unwrap_or_else(|| input.with_extension("wasm"));
                if let Err(e) = std::fs::write(&out, bytes) {
                    eprintln!("wat2wasm: {}: {e}", out.display());
                    status = ExitCode::FAILURE;
                }
            }
            Err(e) => {
                eprintln!("wat2wasm: {}: {e}", input.display());
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
