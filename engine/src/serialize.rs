//! A compiled module as bytes (`Module::serialize`), and back without compiling
//! (`Module::deserialize`): what the module caches store.
//!
//! Layout: the magic `\0wasmrt\x01`, the format version (u32), the engine's cache key
//! (engine and Cranelift versions, target, code generation flags and CPU features, wasm
//! features, memory mode), the module's own bytes (parsed again when loading: parsing is
//! cheap, compiling is not), the compiled artifact's image, and a SHA-256 of all that.
//! Lengths are u32, little-endian.

use crate::artifact::Artifact;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::module::Module;
use crate::module_info;
use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"\0wasmrt\x01";
/// The format version, raised whenever what a blob means changes, even if its layout did
/// not: 1, the first; 2, sites (module offsets) in the artifact; 3, code compiled by Cranelift
/// 0.135 over wasmparser 0.263 instead of 0.112 over 0.217. A blob of another version is
/// refused before anything else of it is read, and the caches compile the module again.
const FORMAT: u32 = 3;
const DIGEST: usize = 32;

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn refused(why: impl std::fmt::Display) -> Error {
    Error::Compile(format!("cannot load the serialized module: {why}"))
}

/// Takes length-prefixed fields off the front of a blob.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        if n > self.0.len() {
            return Err(refused(format!("truncated in its {what}")));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().expect("4 bytes")))
    }

    fn bytes(&mut self, what: &str) -> Result<&'a [u8]> {
        let len = self.u32(what)? as usize;
        self.take(len, what)
    }
}

impl Module {
    /// The module with its compiled code, for [`Module::deserialize`] in this process or
    /// another one whose engine has the same [`Engine::cache_key`].
    pub fn serialize(&self) -> Vec<u8> {
        let inner = &self.inner;
        let image = inner.artifact.image();
        let mut out = Vec::with_capacity(64 + inner.bytes.len() + image.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        put_bytes(&mut out, inner.engine.cache_key().as_bytes());
        put_bytes(&mut out, &inner.bytes);
        put_bytes(&mut out, &image);
        let digest = Sha256::digest(&out);
        out.extend_from_slice(&digest);
        out
    }

    /// The module `serialize` wrote, without compiling it again. Errors say what is wrong: not
    /// a serialized module, truncated or corrupted (the checksum), another format version, or
    /// compiled by another engine version or for another CPU or configuration.
    ///
    /// # Safety
    /// The blob's machine code runs as it is: deserialize only what this engine (or a trusted
    /// copy of it) serialized; the checksum catches accidents, not attacks.
    pub unsafe fn deserialize(engine: &Engine, blob: &[u8]) -> Result<Module> {
        if blob.len() < MAGIC.len() || &blob[..MAGIC.len()] != MAGIC {
            return Err(refused("these bytes are not a serialized module"));
        }
        if blob.len() < MAGIC.len() + 4 + DIGEST {
            return Err(refused("truncated"));
        }
        let (body, digest) = blob.split_at(blob.len() - DIGEST);
        let mut fields = Fields(&body[MAGIC.len()..]);
        let format = fields.u32("format version")?;
        if format != FORMAT {
            let by = if format < FORMAT { "an older" } else { "a newer" };
            return Err(refused(format!(
                "it is format version {format}, written by {by} engine; this engine reads version {FORMAT} only: compile the module again"
            )));
        }
        if Sha256::digest(body).as_slice() != digest {
            return Err(refused("its checksum does not match: truncated or corrupted"));
        }
        let key = fields.bytes("engine description")?;
        if key != engine.cache_key().as_bytes() {
            let theirs = String::from_utf8_lossy(key);
            let ours = engine.cache_key();
            // Name the first part that differs: the version, the CPU features, ...
            let differs = theirs
                .split("; ")
                .zip(ours.split("; "))
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("`{a}` where this engine has `{b}`"))
                .unwrap_or_else(|| format!("`{theirs}`"));
            return Err(refused(format!("it was compiled by another engine or for another CPU: {differs}")));
        }
        let bytes = fields.bytes("module")?;
        let image = fields.bytes("code")?;
        if !fields.0.is_empty() {
            return Err(refused("unexpected bytes after its code"));
        }
        let artifact = Artifact::from_image(image).ok_or_else(|| refused("its code tables are malformed"))?;
        let (info, _bodies) = module_info::parse(bytes, engine.features())?;
        Module::load(engine, bytes.to_vec(), info, artifact)
    }
}
