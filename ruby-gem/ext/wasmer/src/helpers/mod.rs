//! Shortcuts into Ruby's C API for the hot paths, where magnus's safe conversions (which go
//! through `rb_protect`) cost too much (here), running without the GVL (`nogvl`), waiting and
//! stopping at safepoints (`safepoints`), and the bounds of a Fiber's stack (`fibers`).

pub mod fibers;
pub mod nogvl;

/// `v` as a file system path: a String, or a Pathname (anything with `to_path`); `None` for
/// anything else, which the caller names in its own error.
pub fn path(v: magnus::Value) -> Result<Option<String>, magnus::Error> {
    use magnus::prelude::*;
    if let Some(s) = magnus::RString::from_value(v) {
        return Ok(Some(s.to_string()?));
    }
    if v.respond_to("to_path", false)? {
        return Ok(Some(v.funcall("to_path", ())?));
    }
    Ok(None)
}
pub mod safepoints;

/// Defines `Wasmer::<name>`, the class of `T`, objects Ruby code never sees (they keep
/// something alive for the GC), and hides it: a private constant, with no `new`.
pub fn hidden_class<T: magnus::TypedData>(
    ruby: &magnus::Ruby,
    wasmer: magnus::RModule,
    name: &str,
) -> Result<(), magnus::Error> {
    use magnus::prelude::*;
    let class = wasmer.define_class(name, ruby.class_object())?;
    class.undef_default_alloc_func();
    // Found now, while the constant is public (see errors::init for why now).
    T::class(ruby);
    wasmer.funcall::<_, _, magnus::Value>("private_constant", (ruby.to_symbol(name),))?;
    Ok(())
}

/// The `T` wrapped by `v`, or None if `v` is not a `T` (of exactly that data type). Unlike
/// magnus's conversion this does not go through `rb_protect`: it is for hot paths.
#[inline]
pub fn typed_ref<'a, T: magnus::TypedData>(v: magnus::Value) -> Option<&'a T> {
    use magnus::rb_sys::AsRawValue;
    use rb_sys::{ruby_value_type::RUBY_T_DATA, RB_TYPE_P, RTYPEDDATA_GET_DATA, RTYPEDDATA_P, RTYPEDDATA_TYPE};
    let raw = v.as_raw();
    // `DataType` is a transparent wrapper of `rb_data_type_t`.
    let want = T::data_type() as *const magnus::DataType as *const rb_sys::rb_data_type_t;
    unsafe {
        if rb_sys::SPECIAL_CONST_P(raw)
            || !RB_TYPE_P(raw, RUBY_T_DATA)
            || !RTYPEDDATA_P(raw)
            || RTYPEDDATA_TYPE(raw) != want
        {
            return None;
        }
        (RTYPEDDATA_GET_DATA(raw) as *const T).as_ref()
    }
}
