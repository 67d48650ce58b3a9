//! Compile any policy: the compiler never panics, and whatever it writes
//! the runtime loads (the compiler never writes an artifact the loader
//! refuses), deterministically.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let compilation = scrim_compiler::compile("fuzz.scrim", text, &scrim_compiler::NoFiles);
    let Some(artifact) = compilation.artifact else {
        assert!(compilation.has_errors(), "no artifact and no error");
        return;
    };
    let json = artifact.to_json();
    let again = scrim_compiler::compile("fuzz.scrim", text, &scrim_compiler::NoFiles);
    assert_eq!(
        again.artifact.map(|a| a.to_json()).as_deref(),
        Some(json.as_str()),
        "compiling twice gave different bytes"
    );
    if let Err(error) = scrim_matcher::Policy::from_json(&json) {
        panic!("the runtime refused what the compiler wrote: {error}");
    }
});
