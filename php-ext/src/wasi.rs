//! `Wasm\Wasi`: what a WASI program is given (arguments, environment, directories, standard
//! streams), and running it: `$wasi->run($module)` returns its exit status, `stdout()` and
//! `stderr()` what it wrote.

use crate::errors::{self, type_error, value_error, Raise};
use crate::helpers::running::Running;
use crate::instance::Core;
use crate::module;
use engine::wasi::{Input, Output, Preopen, WasiConfig};
use ext_php_rs::binary::Binary;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use std::path::PathBuf;
use std::rc::Rc;

const CONSTRUCT: &str = "Wasm\\Wasi::__construct()";


/// The string `z`, or a TypeError naming `what`.
fn string(z: &Zval, what: &str) -> PhpResult<String> {
    match z.dereference().str() {
        Some(s) => Ok(s.to_owned()),
        None => Err(type_error(format!(
            "{CONSTRUCT}: {what} must be of type string, {} given",
            crate::convert::type_name(z)
        ))),
    }
}

fn output(value: Option<String>, option: &str) -> PhpResult<Output> {
    match value.as_deref() {
        None | Some("capture") => Ok(Output::Capture),
        Some("inherit") => Ok(Output::Inherit),
        Some("discard") => Ok(Output::Discard),
        Some(other) => Err(value_error(format!(
            "{CONSTRUCT}: Argument ${option} must be \"capture\", \"inherit\" or \"discard\", \"{other}\" given"
        ))),
    }
}

/// `['/data' => '/host/dir']` or `['/data' => ['path' => '/host/dir', 'readonly' => true]]`.
fn preopens(table: &ZendHashTable) -> PhpResult<Vec<Preopen>> {
    let mut out = Vec::new();
    for (key, value) in table.iter() {
        let guest = key.to_string();
        let what = format!("Argument $preopens[\"{guest}\"]");
        let value = value.dereference();
        let (host, read_only) = match value.array() {
            Some(options) => {
                let path = options
                    .get("path")
                    .ok_or_else(|| value_error(format!("{CONSTRUCT}: {what} has no \"path\"")))?;
                let read_only = match options.get("readonly").map(|z| z.dereference()) {
                    None => false,
                    Some(z) => z.bool().ok_or_else(|| {
                        type_error(format!(
                            "{CONSTRUCT}: {what}[\"readonly\"] must be of type bool, {} given",
                            crate::convert::type_name(z)
                        ))
                    })?,
                };
                (string(path, &format!("{what}[\"path\"]"))?, read_only)
            }
            None => (string(value, &what)?, false),
        };
        out.push(Preopen { guest, host: PathBuf::from(host), read_only });
    }
    Ok(out)
}

/// A WASI context for one program: its arguments, environment variables, preopened
/// directories and standard streams.
#[php_class]
#[php(name = "Wasm\\Wasi")]
pub struct Wasi {
    inner: Rc<engine::wasi::Wasi>,
}

#[php_impl]
impl Wasi {
    /// `$args` is argv (the program's name first); `$env` name => value (the process's own
    /// environment is not passed on); `$preopens` guest path => host directory, or => `['path'
    /// => ..., 'readonly' => true]`; `$stdin` the bytes the program reads, or `STDIN` (any
    /// stream) for the process's own; `$stdout`/`$stderr` "capture" (default), "inherit" or
    /// "discard".
    #[php(optional = args)]
    pub fn __construct(
        args: Option<&ZendHashTable>,
        env: Option<&ZendHashTable>,
        preopens: Option<&ZendHashTable>,
        stdin: Option<&Zval>,
        stdout: Option<String>,
        stderr: Option<String>,
    ) -> PhpResult<Self> {
        let mut config = WasiConfig::default();
        if let Some(args) = args {
            for (i, arg) in args.values().enumerate() {
                config.args.push(string(arg, &format!("Argument $args[{i}]"))?);
            }
        }
        if let Some(env) = env {
            for (key, value) in env.iter() {
                let key = key.to_string();
                let value = string(value, &format!("Argument $env[\"{key}\"]"))?;
                config.env.push((key, value));
            }
        }
        if let Some(table) = preopens {
            config.preopens = self::preopens(table)?;
        }
        config.stdin = match stdin.map(|z| z.dereference()) {
            None => Input::Empty,
            Some(z) if z.is_null() => Input::Empty,
            Some(z) if z.is_resource() => Input::Inherit,
            Some(z) => match z.zend_str() {
                Some(s) => Input::Bytes(s.as_bytes().to_vec()),
                None => {
                    return Err(type_error(format!(
                        "{CONSTRUCT}: Argument $stdin must be of type string, a stream or null, {} given",
                        crate::convert::type_name(z)
                    )))
                }
            },
        };
        config.stdout = output(stdout, "stdout")?;
        config.stderr = output(stderr, "stderr")?;
        let inner = engine::wasi::Wasi::new(&config).map_err(|e| value_error(format!("{CONSTRUCT}: {e}")))?;
        Ok(Wasi { inner: Rc::new(inner) })
    }

    /// Instantiates a command module (a `Wasm\Module`, a path or bytes) with this context and
    /// `$imports`, runs its `_start`, and returns its exit status: 0 when `_start` returns,
    /// `n` after `proc_exit(n)`. A trap throws `Wasm\Exception\Trap`.
    #[php(optional = imports)]
    pub fn run(&self, pathOrBytesOrModule: &Zval, imports: Option<&ZendHashTable>) -> PhpResult<i64> {
        let module = module::from_zval(pathOrBytesOrModule, "Wasm\\Wasi::run")?;
        let core = Core::new(&module, imports, Some(&self.inner), crate::instance::limits(None, None, None)).map_err(Raise::into_php)?;
        let _running = Running::enter(&core.interrupt);
        engine::wasi::start(&core.instance).map(i64::from).map_err(errors::php)
    }

    /// What the program wrote to its standard output, when captured.
    pub fn stdout(&self) -> Binary<u8> {
        Binary::new(self.inner.stdout())
    }

    /// What the program wrote to its standard error, when captured.
    pub fn stderr(&self) -> Binary<u8> {
        Binary::new(self.inner.stderr())
    }
}

impl Wasi {
    pub(crate) fn inner(&self) -> &engine::wasi::Wasi {
        &self.inner
    }
}
