//! scrim in the browser: the rrweb event-stream masker ([`scrim_rrweb`])
//! compiled to WebAssembly behind a hand-written boundary of numbers and
//! two shared byte buffers, for the npm package `scrim-rrweb`
//! (`packages/scrim-rrweb`).
//!
//! Every export below is one line that calls the safe code in [`abi`],
//! which documents the protocol. The boundary was measured against
//! wasm-bindgen's (docs/performance.md, "The WebAssembly boundary"): as
//! fast per event, smaller, and no code generator to install.
//!
//! Build it with `cargo build -p scrim-wasm --target wasm32-unknown-unknown
//! --profile wasm` (the package's `npm run build:wasm` does, then shrinks
//! it with `wasm-opt` when binaryen is installed).

mod abi;

// Each export needs `#[unsafe(no_mangle)]`, which the `unsafe_code` lint
// reports; the functions themselves are safe (see Cargo.toml).

/// See [`abi::input`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_input(capacity: usize) -> usize {
    abi::input(capacity)
}

/// See [`abi::output_ptr`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_output_ptr() -> usize {
    abi::output_ptr()
}

/// See [`abi::output_len`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_output_len() -> usize {
    abi::output_len()
}

/// See [`abi::policy_load`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_policy_load(len: usize) -> i32 {
    abi::policy_load(len)
}

/// See [`abi::page`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_page(policy: i32, len: usize) -> i32 {
    abi::page(policy, len)
}

/// See [`abi::session_new`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_new(policy: i32, len: usize) -> i32 {
    abi::session_new(policy, len)
}

/// See [`abi::session_free`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_free(session: i32) -> i32 {
    abi::session_free(session)
}

/// See [`abi::session_mask`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_mask(session: i32, len: usize) -> i32 {
    abi::session_mask(session, len)
}

/// See [`abi::session_set_context`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_set_context(session: i32, len: usize) -> i32 {
    abi::session_set_context(session, len)
}

/// See [`abi::session_block_selectors`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_block_selectors(session: i32) -> i32 {
    abi::session_block_selectors(session)
}

/// See [`abi::session_stats`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn scrim_session_stats(session: i32) -> i32 {
    abi::session_stats(session)
}
