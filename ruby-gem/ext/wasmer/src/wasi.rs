//! `Wasmer::Wasi`: what a WASI program is given (arguments, environment, directories,
//! standard streams), and running it: `wasi.run(module)` returns its exit status,
//! `wasi.stdout` and `wasi.stderr` what it wrote.

use crate::convert;
use crate::errors::{argument_error, from_engine, type_error};
use crate::instance::Instance;
use crate::module;
use engine::wasi::{Input, Output, Preopen, WasiConfig};
use magnus::{
    function, method, prelude::*, scan_args::get_kwargs, scan_args::scan_args, value::Opaque, Error, RHash,
    RModule, RString, Ruby, Symbol, TypedData, Value,
};

const NEW: &str = "Wasmer::Wasi.new";

/// A WASI context for one program.
///
/// @example
///   wasi = Wasmer::Wasi.new(args: ["prog", "--flag"], env: { "KEY" => "value" },
///                           preopens: { "/data" => "/host/dir" }, stdin: "input")
///   status = wasi.run(File.binread("prog.wasm"))
///   puts wasi.stdout
#[derive(TypedData)]
#[magnus(class = "Wasmer::Wasi", free_immediately, size, mark)]
pub struct Wasi {
    inner: engine::wasi::Wasi,
    /// IOs given as stdout / stderr: what was captured is written to them when `run` ends.
    stdout_io: Option<Opaque<Value>>,
    stderr_io: Option<Opaque<Value>>,
}

impl magnus::DataTypeFunctions for Wasi {
    fn mark(&self, marker: &magnus::gc::Marker) {
        for io in [self.stdout_io, self.stderr_io].into_iter().flatten() {
            marker.mark(io);
        }
    }
}

/// A String, or a TypeError naming `what`.
fn string(ruby: &Ruby, v: Value, what: &str) -> Result<String, Error> {
    match RString::from_value(v) {
        Some(s) => Ok(s.to_string()?),
        None => Err(type_error(
            ruby,
            format!("{NEW}: {what} must be a String, got {}", convert::type_name(v)),
        )),
    }
}

/// A String or a Symbol as a String (Hash keys).
fn key(ruby: &Ruby, v: Value, what: &str) -> Result<String, Error> {
    match Symbol::from_value(v) {
        Some(sym) => Ok(sym.name()?.into_owned()),
        None => string(ruby, v, what),
    }
}

fn fileno(v: Value) -> Option<i64> {
    if v.respond_to("fileno", false).ok()? {
        v.funcall::<_, _, i64>("fileno", ()).ok()
    } else {
        None
    }
}

/// `:capture`, `:inherit`, `:discard`, or an IO: `$stdout`/`$stderr` (or any IO on the same
/// descriptor) inherit it, another IO gets the captured output when `run` ends.
fn output(ruby: &Ruby, v: Option<Value>, option: &str, own_fd: i64) -> Result<(Output, Option<Opaque<Value>>), Error> {
    let Some(v) = v.filter(|v| !v.is_nil()) else {
        return Ok((Output::Capture, None));
    };
    if let Some(sym) = Symbol::from_value(v) {
        return match sym.name()?.as_ref() {
            "capture" => Ok((Output::Capture, None)),
            "inherit" => Ok((Output::Inherit, None)),
            "discard" => Ok((Output::Discard, None)),
            other => Err(argument_error(
                ruby,
                format!("{NEW}: {option}: must be :capture, :inherit, :discard or an IO, got :{other}"),
            )),
        };
    }
    if v.respond_to("write", false)? {
        return Ok(match fileno(v) {
            Some(fd) if fd == own_fd => (Output::Inherit, None),
            _ => (Output::Capture, Some(Opaque::from(v))),
        });
    }
    Err(type_error(
        ruby,
        format!("{NEW}: {option}: must be :capture, :inherit, :discard or an IO, got {}", convert::type_name(v)),
    ))
}

impl Wasi {
    /// @param args [Array<String>] argv, the program's name first
    /// @param env [Hash{String => String}] the environment, and only it
    /// @param preopens [Hash{String => String, Hash}] guest path => host directory, or
    ///   => `{ path: "/host/dir", readonly: true }`
    /// @param stdin [String, IO, nil] the bytes the program reads; `$stdin` for the
    ///   process's own; another IO is read to its end now; nil: nothing
    /// @param stdout [Symbol, IO] :capture (default), :inherit, :discard, or an IO that
    ///   receives the output when `run` ends
    /// @param stderr [Symbol, IO] as stdout
    /// @raise [TypeError] an argument, a variable or a path is not a String
    /// @raise [ArgumentError] a preopen cannot be opened, a variable name has `=` or NUL, an
    ///   unknown option value (the message names the option)
    fn new(ruby: &Ruby, args: &[Value]) -> Result<Wasi, Error> {
        let args = scan_args::<(), (), (), (), RHash, ()>(args)?;
        type Options = (Option<Value>, Option<Value>, Option<Value>, Option<Value>, Option<Value>, Option<Value>);
        let kw = get_kwargs::<_, (), Options, ()>(
            args.keywords,
            &[],
            &["args", "env", "preopens", "stdin", "stdout", "stderr"],
        )?;
        let (argv, env, preopens, stdin, stdout, stderr) = kw.optional;
        let mut config = WasiConfig::default();
        if let Some(argv) = argv.filter(|v| !v.is_nil()) {
            let list = magnus::RArray::from_value(argv).ok_or_else(|| {
                type_error(ruby, format!("{NEW}: args: must be an Array of Strings, got {}", convert::type_name(argv)))
            })?;
            for (i, arg) in list.into_iter().enumerate() {
                config.args.push(string(ruby, arg, &format!("args[{i}]"))?);
            }
        }
        if let Some(env) = env.filter(|v| !v.is_nil()) {
            let hash = RHash::from_value(env).ok_or_else(|| {
                type_error(ruby, format!("{NEW}: env: must be a Hash, got {}", convert::type_name(env)))
            })?;
            hash.foreach(|k: Value, v: Value| {
                let name = key(ruby, k, "env key")?;
                let value = string(ruby, v, &format!("env[{name:?}]"))?;
                config.env.push((name, value));
                Ok(magnus::r_hash::ForEach::Continue)
            })?;
        }
        if let Some(preopens) = preopens.filter(|v| !v.is_nil()) {
            let hash = RHash::from_value(preopens).ok_or_else(|| {
                type_error(ruby, format!("{NEW}: preopens: must be a Hash, got {}", convert::type_name(preopens)))
            })?;
            hash.foreach(|k: Value, v: Value| {
                let guest = key(ruby, k, "preopens key")?;
                let what = format!("preopens[{guest:?}]");
                let (host, read_only) = match RHash::from_value(v) {
                    Some(options) => {
                        let path = options
                            .get(ruby.to_symbol("path"))
                            .or_else(|| options.get("path"))
                            .ok_or_else(|| argument_error(ruby, format!("{NEW}: {what} has no :path")))?;
                        let read_only = options
                            .get(ruby.to_symbol("readonly"))
                            .or_else(|| options.get("readonly"))
                            .is_some_and(|r| r.to_bool());
                        (path_string(ruby, path, &format!("{what}[:path]"))?, read_only)
                    }
                    None => (path_string(ruby, v, &what)?, false),
                };
                config.preopens.push(Preopen { guest, host: host.into(), read_only });
                Ok(magnus::r_hash::ForEach::Continue)
            })?;
        }
        config.stdin = match stdin.filter(|v| !v.is_nil()) {
            None => Input::Empty,
            Some(v) => match RString::from_value(v) {
                // SAFETY: the bytes are copied at once, before Ruby runs again.
                Some(s) => Input::Bytes(unsafe { s.as_slice() }.to_vec()),
                None if fileno(v) == Some(0) => Input::Inherit,
                None if v.respond_to("read", false)? => {
                    let data: RString = v.funcall("read", ())?;
                    // SAFETY: as above.
                    Input::Bytes(unsafe { data.as_slice() }.to_vec())
                }
                None => {
                    return Err(type_error(
                        ruby,
                        format!("{NEW}: stdin: must be a String, an IO or nil, got {}", convert::type_name(v)),
                    ))
                }
            },
        };
        let (stdout, stdout_io) = output(ruby, stdout, "stdout", 1)?;
        let (stderr, stderr_io) = output(ruby, stderr, "stderr", 2)?;
        config.stdout = stdout;
        config.stderr = stderr;
        let inner = engine::wasi::Wasi::new(&config).map_err(|e| argument_error(ruby, format!("{NEW}: {e}")))?;
        Ok(Wasi { inner, stdout_io, stderr_io })
    }

    /// Instantiates a command module with this context (and `imports` for anything else it
    /// imports), runs its `_start` and returns its exit status.
    ///
    /// @param module_or_bytes [Wasmer::Module, String, Pathname]
    /// @param imports [Hash]
    /// @return [Integer] 0 when `_start` returns, n after `proc_exit(n)`
    /// @raise [Wasmer::Trap] if the program traps
    fn run(ruby: &Ruby, rb_self: &Self, args: &[Value]) -> Result<i32, Error> {
        let args = scan_args::<(Value,), (Option<Value>,), (), (), (), ()>(args)?;
        let (source,) = args.required;
        let (imports,) = args.optional;
        let module = module::from_value(ruby, source, "Wasmer::Wasi#run")?;
        let outcome = (|| {
            let instance = Instance::build(ruby, &module, imports, Some(&rb_self.inner), Default::default())?;
            engine::wasi::start(instance.engine_instance()).map_err(|e| from_engine(ruby, e))
        })();
        rb_self.flush(ruby)?;
        outcome
    }

    /// Writes what was captured to the IOs given as stdout / stderr.
    fn flush(&self, ruby: &Ruby) -> Result<(), Error> {
        for (io, bytes) in [(self.stdout_io, self.inner.stdout()), (self.stderr_io, self.inner.stderr())] {
            if let Some(io) = io {
                if !bytes.is_empty() {
                    let _: Value = ruby.get_inner(io).funcall("write", (ruby.str_from_slice(&bytes),))?;
                }
            }
        }
        Ok(())
    }

    /// What the program wrote to its standard output, when captured.
    ///
    /// @return [String] binary (ASCII-8BIT)
    fn stdout(ruby: &Ruby, rb_self: &Self) -> RString {
        ruby.str_from_slice(&rb_self.inner.stdout())
    }

    /// What the program wrote to its standard error, when captured.
    ///
    /// @return [String] binary (ASCII-8BIT)
    fn stderr(ruby: &Ruby, rb_self: &Self) -> RString {
        ruby.str_from_slice(&rb_self.inner.stderr())
    }

    pub fn inner(&self) -> &engine::wasi::Wasi {
        &self.inner
    }
}

/// A String or a Pathname as a path, or a TypeError naming `what`.
fn path_string(ruby: &Ruby, v: Value, what: &str) -> Result<String, Error> {
    match crate::helpers::path(v)? {
        Some(path) => Ok(path),
        None => string(ruby, v, what),
    }
}

pub fn init(ruby: &Ruby, wasmer: RModule) -> Result<(), Error> {
    let class = wasmer.define_class("Wasi", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("new", function!(Wasi::new, -1))?;
    class.define_method("run", method!(Wasi::run, -1))?;
    class.define_method("stdout", method!(Wasi::stdout, 0))?;
    class.define_method("stderr", method!(Wasi::stderr, 0))?;
    Ok(())
}
