//! Argument types for the kernels: a Float64Array seen as `&[f64]` without copying, or a TypeError that
//! names what was passed instead (napi-rs's own conversion throws a plain Error with a terse message).

use napi::bindgen_prelude::{Float64Array, FromNapiValue};
use napi::{sys, Error, Result, Status};
use std::ffi::CString;
use std::marker::PhantomData;
use std::ptr;

/// Throw a JS TypeError now and return the error napi-rs expects for "an exception is already pending",
/// so the generated wrapper does not replace it with a plain Error.
fn throw_type_error(env: sys::napi_env, message: String) -> Error {
    let code = c"ERR_INVALID_ARG_TYPE";
    let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
    // SAFETY: env is the live env of the current call; both strings are NUL-terminated.
    unsafe { sys::napi_throw_type_error(env, code.as_ptr(), text.as_ptr()) };
    Error::new(Status::PendingException, message)
}

/// The element type, data pointer and length of a typed array; None when `value` is not one.
///
/// # Safety
/// `env` and `value` must be the env and a value of the current napi call.
unsafe fn typedarray_info(
    env: sys::napi_env,
    value: sys::napi_value,
) -> Option<(sys::napi_typedarray_type, *mut std::ffi::c_void, usize)> {
    let mut kind = 0;
    let mut length = 0;
    let mut data = ptr::null_mut();
    let mut buffer = ptr::null_mut();
    let mut offset = 0;
    // SAFETY: guaranteed by the caller; out-pointers are valid locals.
    let status = unsafe {
        sys::napi_get_typedarray_info(
            env,
            value,
            &mut kind,
            &mut length,
            &mut data,
            &mut buffer,
            &mut offset,
        )
    };
    (status == sys::Status::napi_ok).then_some((kind, data, length))
}

/// A short description of a JS value for error messages: "a number", "an Array", "an Int32Array"...
fn describe(env: sys::napi_env, value: sys::napi_value) -> String {
    // SAFETY: env and value come from the current call.
    if let Some((kind, _, _)) = unsafe { typedarray_info(env, value) } {
        return match kind {
            sys::TypedarrayType::int8_array => "an Int8Array",
            sys::TypedarrayType::uint8_array => "a Uint8Array",
            sys::TypedarrayType::uint8_clamped_array => "a Uint8ClampedArray",
            sys::TypedarrayType::int16_array => "an Int16Array",
            sys::TypedarrayType::uint16_array => "a Uint16Array",
            sys::TypedarrayType::int32_array => "an Int32Array",
            sys::TypedarrayType::uint32_array => "a Uint32Array",
            sys::TypedarrayType::float32_array => "a Float32Array",
            _ => "a typed array of another element type",
        }
        .to_owned();
    }
    let mut is_array = false;
    // SAFETY: as above.
    if unsafe { sys::napi_is_array(env, value, &mut is_array) } == sys::Status::napi_ok && is_array
    {
        return "an Array (copy it into a Float64Array first)".to_owned();
    }
    let mut t = 0;
    // SAFETY: as above.
    unsafe { sys::napi_typeof(env, value, &mut t) };
    match t {
        sys::ValueType::napi_undefined => "undefined",
        sys::ValueType::napi_null => "null",
        sys::ValueType::napi_boolean => "a boolean",
        sys::ValueType::napi_number => "a number",
        sys::ValueType::napi_string => "a string",
        sys::ValueType::napi_symbol => "a symbol",
        sys::ValueType::napi_function => "a function",
        _ => "an object that is not a Float64Array",
    }
    .to_owned()
}

/// Check that `value` is a Float64Array; return its element pointer and length.
///
/// # Safety
/// `env` and `value` must be the env and an argument of the current napi call.
unsafe fn float64_view(env: sys::napi_env, value: sys::napi_value) -> Result<(*const f64, usize)> {
    // SAFETY: guaranteed by the caller.
    match unsafe { typedarray_info(env, value) } {
        Some((kind, data, length)) if kind == sys::TypedarrayType::float64_array => {
            Ok((data as *const f64, length))
        }
        _ => Err(throw_type_error(
            env,
            format!(
                "expected the values as a Float64Array, got {}",
                describe(env, value)
            ),
        )),
    }
}

/// A Float64Array argument borrowed for the duration of a synchronous call: no copy, no reference.
///
/// Safe because JavaScript cannot run (so cannot detach, resize or collect the buffer) until the call
/// returns, and the argument keeps the array reachable meanwhile.
pub struct F64Slice<'call> {
    data: *const f64,
    length: usize,
    _call: PhantomData<&'call [f64]>,
}

impl<'call> F64Slice<'call> {
    pub fn as_slice(&self) -> &'call [f64] {
        if self.length == 0 || self.data.is_null() {
            return &[];
        }
        // SAFETY: napi_get_typedarray_info returned a pointer to `length` f64s (already adjusted by the
        // view's byte offset, which JS keeps a multiple of 8), alive for the call (see the type's docs).
        unsafe { std::slice::from_raw_parts(self.data, self.length) }
    }
}

impl FromNapiValue for F64Slice<'_> {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: called by napi-rs with the env and an argument of the current call.
        let (data, length) = unsafe { float64_view(env, value) }?;
        Ok(F64Slice {
            data,
            length,
            _call: PhantomData,
        })
    }
}

/// A Float64Array argument kept for work that outlives the call (an async task on the libuv pool).
///
/// It holds a strong napi reference to the array, so the garbage collector cannot free the buffer while
/// the task reads it; the reference is released on the JS thread after the task settles. The caller must
/// not write to, transfer or detach the buffer until the returned Promise settles.
pub struct F64Owned(pub Float64Array);

impl FromNapiValue for F64Owned {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        // SAFETY: called by napi-rs with the env and an argument of the current call.
        unsafe { float64_view(env, value) }?;
        // SAFETY: as above; the value was just checked to be a Float64Array.
        Ok(F64Owned(unsafe {
            Float64Array::from_napi_value(env, value)
        }?))
    }
}
