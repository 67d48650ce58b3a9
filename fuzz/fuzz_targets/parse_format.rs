//! Parse and format any text: parsing never panics, and a policy without
//! syntax errors formats to text that means the same (the formatter's own
//! meaning check passes) and is a fixed point of formatting.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = scrim_syntax::SourceFile::new("fuzz.scrim", text);
    let parsed = scrim_syntax::parse(&source);
    for diagnostic in &parsed.diagnostics {
        // Rendering a diagnostic must not panic either (spans inside the text).
        let _ = diagnostic.to_json();
    }
    if parsed.has_errors() {
        return;
    }
    let formatted = match scrim_syntax::format_checked("fuzz.scrim", text) {
        Ok(formatted) => formatted,
        Err(error) => panic!("a policy without syntax errors failed to format: {error}"),
    };
    let again = scrim_syntax::format_checked("fuzz.scrim", &formatted)
        .expect("formatted output formats again");
    assert_eq!(again, formatted, "formatting is not idempotent");
});
