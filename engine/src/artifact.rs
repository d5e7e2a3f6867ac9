//! What compiling produces: machine code and the tables that go with it, as plain data with
//! no address of this process in it, so that the same bytes and configuration always give
//! the same artifact. `vm::code` turns an artifact into executable memory.

use crate::error::TrapCode;

/// What a faulting instruction in generated code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TrapKind {
    Wasm(TrapCode),
    /// A host function returned an error, now waiting in thread-local storage.
    HostError,
}

/// The float rounding functions generated code may call (on CPUs without SSE4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FloatLibcall {
    CeilF32,
    CeilF64,
    FloorF32,
    FloorF64,
    TruncF32,
    TruncF64,
    NearestF32,
    NearestF64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RelocKind {
    /// A 64-bit absolute address.
    Abs8,
    /// A 32-bit offset from the patched site (x86-64 calls and loads).
    X86PcRel4,
    /// The 26-bit word offset of an aarch64 `bl`.
    Arm64Call,
}

/// A place in the code to patch with a function's address once the code is in memory. Calls
/// between the module's own functions need none: they are resolved when linking, being
/// relative to the code itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Relocation {
    pub offset: u32,
    pub kind: RelocKind,
    pub target: FloatLibcall,
    pub addend: i64,
}

/// Linked machine code of a module (or of one trampoline).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Artifact {
    pub code: Vec<u8>,
    pub relocs: Vec<Relocation>,
    /// (offset, meaning) of each trap site, sorted by offset.
    pub traps: Vec<(u32, TrapKind)>,
    /// (start offset, name) of each function, sorted by offset.
    pub functions: Vec<(u32, String)>,
}

impl Artifact {
    /// The artifact as one byte string: code, relocations, trap table and function table.
    pub fn image(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.code.len() + 64);
        put(&mut out, self.code.len() as u32);
        out.extend_from_slice(&self.code);
        put(&mut out, self.relocs.len() as u32);
        for r in &self.relocs {
            put(&mut out, r.offset);
            out.push(r.kind as u8);
            out.push(r.target as u8);
            out.extend_from_slice(&r.addend.to_le_bytes());
        }
        put(&mut out, self.traps.len() as u32);
        for &(offset, kind) in &self.traps {
            put(&mut out, offset);
            out.push(match kind {
                TrapKind::Wasm(code) => code as u8,
                TrapKind::HostError => u8::MAX,
            });
        }
        put(&mut out, self.functions.len() as u32);
        for (offset, name) in &self.functions {
            put(&mut out, *offset);
            put(&mut out, name.len() as u32);
            out.extend_from_slice(name.as_bytes());
        }
        out
    }
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
