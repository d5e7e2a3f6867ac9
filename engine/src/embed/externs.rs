//! The host values wasm holds as externref. Wasm sees an index into a table of the binding's
//! values (which keeps them alive); the binding decides how long the table lives (PHP: the
//! request, Ruby: the store) and how its values are kept from its garbage collector.

use std::collections::HashMap;

/// Host values given to wasm as externref: the externref is the index. A value with an
/// identity (an object, whose address stays its own while the table keeps it) given again
/// reuses its entry: wasm cannot tell two externrefs of one object apart, and a loop passing
/// one object would otherwise grow the table at each call.
pub struct Externs<V> {
    values: Vec<V>,
    by_identity: HashMap<usize, u64>,
}

impl<V> Default for Externs<V> {
    fn default() -> Self {
        Externs {
            values: Vec::new(),
            by_identity: HashMap::new(),
        }
    }
}

impl<V> Externs<V> {
    /// The externref of the value whose identity is `identity` (`None` for a value that has
    /// none, such as a number): its entry when it has one, else a new entry made by `keep`.
    pub fn intern(&mut self, identity: Option<usize>, keep: impl FnOnce() -> V) -> u64 {
        if let Some(&index) = identity.and_then(|id| self.by_identity.get(&id)) {
            return index;
        }
        let index = self.values.len() as u64;
        self.values.push(keep());
        if let Some(id) = identity {
            self.by_identity.insert(id, index);
        }
        index
    }

    /// The value of externref `index`, if this table made it.
    pub fn get(&self, index: u64) -> Option<&V> {
        self.values.get(usize::try_from(index).ok()?)
    }

    /// Every value held, for a garbage collector to mark.
    pub fn values(&self) -> &[V] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_given_again_reuses_its_entry_and_values_without_identity_do_not() {
        let mut externs = Externs::default();
        let a = externs.intern(Some(0x1000), || "a");
        let n1 = externs.intern(None, || "1");
        let b = externs.intern(Some(0x2000), || "b");
        let again = externs.intern(Some(0x1000), || unreachable!("kept already"));
        let n2 = externs.intern(None, || "1");
        assert_eq!((a, n1, b, again, n2), (0, 1, 2, 0, 3));
        assert_eq!(externs.get(2), Some(&"b"));
        assert_eq!(externs.get(4), None);
        assert_eq!(externs.get(u64::MAX), None);
        assert_eq!(externs.values(), ["a", "1", "b", "1"]);
    }
}
