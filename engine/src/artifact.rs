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
    /// (start offset, wasm function index, name) of each function, sorted by offset; a
    /// trampoline's index is [`TRAMPOLINE`].
    pub functions: Vec<(u32, u32, String)>,
    /// (code offset, byte offset in the module) of the trap sites and of the return address
    /// of each call, sorted by code offset: where a backtrace's frames are in the module.
    pub sites: Vec<(u32, u32)>,
}

/// The function index of a trampoline's code: not a wasm function.
pub(crate) const TRAMPOLINE: u32 = u32::MAX;

impl FloatLibcall {
    const ALL: [FloatLibcall; 8] = [
        FloatLibcall::CeilF32,
        FloatLibcall::CeilF64,
        FloatLibcall::FloorF32,
        FloatLibcall::FloorF64,
        FloatLibcall::TruncF32,
        FloatLibcall::TruncF64,
        FloatLibcall::NearestF32,
        FloatLibcall::NearestF64,
    ];
}

impl RelocKind {
    const ALL: [RelocKind; 3] = [RelocKind::Abs8, RelocKind::X86PcRel4, RelocKind::Arm64Call];
}

impl Artifact {
    /// The artifact as one byte string: code, relocations, trap table, function table and
    /// sites.
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
        for (offset, index, name) in &self.functions {
            put(&mut out, *offset);
            put(&mut out, *index);
            put(&mut out, name.len() as u32);
            out.extend_from_slice(name.as_bytes());
        }
        put(&mut out, self.sites.len() as u32);
        for &(offset, position) in &self.sites {
            put(&mut out, offset);
            put(&mut out, position);
        }
        out
    }
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

impl Artifact {
    /// The artifact of an [`image`](Artifact::image), or `None` if the bytes are not one.
    /// Everything is checked that loading relies on: offsets inside the code, tables sorted.
    pub fn from_image(bytes: &[u8]) -> Option<Artifact> {
        let mut r = Reader(bytes);
        let code_len = r.u32()? as usize;
        let code = r.take(code_len)?.to_vec();
        let mut relocs = Vec::new();
        for _ in 0..r.u32()? {
            let offset = r.u32()?;
            let kind = *RelocKind::ALL.get(r.u8()? as usize)?;
            let target = *FloatLibcall::ALL.get(r.u8()? as usize)?;
            let addend = i64::from_le_bytes(r.take(8)?.try_into().ok()?);
            let width = match kind {
                RelocKind::Abs8 => 8,
                RelocKind::X86PcRel4 | RelocKind::Arm64Call => 4,
            };
            if offset as usize + width > code.len() {
                return None;
            }
            relocs.push(Relocation { offset, kind, target, addend });
        }
        let mut traps = Vec::new();
        for _ in 0..r.u32()? {
            let offset = r.u32()?;
            let kind = match r.u8()? {
                u8::MAX => TrapKind::HostError,
                n => TrapKind::Wasm(*TrapCode::ALL.get(n as usize)?),
            };
            traps.push((offset, kind));
        }
        let mut functions = Vec::new();
        for _ in 0..r.u32()? {
            let offset = r.u32()?;
            let index = r.u32()?;
            let len = r.u32()? as usize;
            let name = String::from_utf8(r.take(len)?.to_vec()).ok()?;
            functions.push((offset, index, name));
        }
        let mut sites = Vec::new();
        for _ in 0..r.u32()? {
            sites.push((r.u32()?, r.u32()?));
        }
        let sorted = |offsets: Vec<u32>| {
            offsets.windows(2).all(|w| w[0] <= w[1]) && offsets.iter().all(|&o| o as usize <= code.len())
        };
        if !r.0.is_empty()
            || !sorted(traps.iter().map(|t| t.0).collect())
            || !sorted(functions.iter().map(|f| f.0).collect())
            || !sorted(sites.iter().map(|s| s.0).collect())
        {
            return None;
        }
        Some(Artifact { code, relocs, traps, functions, sites })
    }
}

/// Reads an image front to back; `None` past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_reads_back() {
        let artifact = Artifact {
            code: vec![0x90; 64],
            relocs: vec![Relocation { offset: 8, kind: RelocKind::X86PcRel4, target: FloatLibcall::FloorF64, addend: -4 }],
            traps: vec![(3, TrapKind::Wasm(TrapCode::StackOverflow)), (9, TrapKind::HostError)],
            functions: vec![(0, 0, "a".into()), (32, 1, "b".into())],
            sites: vec![(3, 40), (20, 47)],
        };
        let image = artifact.image();
        assert_eq!(Artifact::from_image(&image), Some(artifact));
        for cut in 0..image.len() {
            assert_eq!(Artifact::from_image(&image[..cut]), None, "cut at {cut}");
        }
    }
}
