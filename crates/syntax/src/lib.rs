//! The scrim policy language: the grammar (`grammar/scrim.pest`), a syntax
//! tree with byte spans, diagnostics and the formatter.
//!
//! Parsing never fails: [`parse`] returns a tree plus diagnostics, with a
//! broken statement kept as an error item and parsing resumed at the next
//! one. This crate does no IO; callers hand it text.

pub mod ast;
mod code;
mod diagnostic;
mod format;
mod names;
mod parser;
mod source;
mod split;
mod structure;
pub mod suggest;

pub use code::Code;
pub use diagnostic::{
    Diagnostic, DiagnosticJson, Edit, EditJson, Fix, FixJson, MAX_ERRORS_PER_FILE, RelatedJson,
    Severity, limit_errors,
};
pub use format::{FormatError, format, format_checked};
pub use names::STATEMENT_KEYWORDS;
pub use parser::{LANGUAGE_VERSION, MAX_BLOCK_DEPTH, Parse, parse, parse_every_error};
pub use source::{Loc, SourceFile, Span};
