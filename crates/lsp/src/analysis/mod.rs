//! What the editor features know of a policy, with no protocol in sight:
//! plain functions from a checked policy and a byte offset to data with
//! byte spans. The server turns those into LSP messages.
//!
//! A policy is checked as `scrim check` checks it: parsed, compiled (its
//! includes read through the caller's loader) and linted. Everything else
//! reads that [`Analysis`].

pub(crate) mod actions;
pub(crate) mod completion;
pub(crate) mod definition;
pub(crate) mod docs;
pub(crate) mod hover;
pub(crate) mod lex;
mod presets;

use scrim_compiler::{Compilation, Loader};
use scrim_syntax::ast::{self, Item, ItemKind};
use scrim_syntax::{Diagnostic, Severity, SourceFile, Span};
use std::sync::Arc;

/// A policy, checked.
#[derive(Debug)]
pub(crate) struct Analysis {
    pub compilation: Compilation,
    /// The compiler's diagnostics, then the linter's.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Checks the policy `text`, known as `name` (the path includes are
    /// joined to).
    pub(crate) fn check(name: &str, text: &str, loader: &dyn Loader) -> Analysis {
        let mut compilation = scrim_compiler::compile(name, text, loader);
        let findings = scrim_lint::lint(&compilation);
        let mut diagnostics = std::mem::take(&mut compilation.diagnostics);
        diagnostics.extend(findings);
        Analysis {
            compilation,
            diagnostics,
        }
    }

    pub(crate) fn root(&self) -> &Arc<SourceFile> {
        &self.compilation.sources[0]
    }

    pub(crate) fn text(&self) -> &str {
        self.root().text()
    }

    pub(crate) fn tree(&self) -> &ast::Policy {
        &self.compilation.trees[0]
    }

    /// The names of every file the check read (the root, its includes and
    /// presets).
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        self.compilation.sources.iter().map(|s| s.name())
    }

    /// The diagnostics located in the policy's own text.
    pub(crate) fn root_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| Arc::ptr_eq(&d.loc.source, self.root()))
    }

    /// For each `include` of the policy whose file, or a file it includes,
    /// has errors: the include's path literal and those errors. An editor
    /// shows only the open file's diagnostics, and a policy whose includes
    /// do not compile is not linted either: the author must see why.
    pub(crate) fn include_errors(&self) -> Vec<(Span, Vec<&Diagnostic>)> {
        let sources = &self.compilation.sources;
        let index_of = |name: &str| sources.iter().position(|s| s.name() == name);
        // The files each file includes, by index.
        let includes: Vec<Vec<(Span, usize)>> = self
            .compilation
            .trees
            .iter()
            .zip(sources)
            .map(|(tree, source)| {
                tree.items
                    .iter()
                    .filter_map(|item| match &item.kind {
                        ItemKind::Include { path } => {
                            let target = scrim_compiler::join(source.name(), &path.value);
                            Some((path.span, index_of(&target)?))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for &(span, first) in &includes[0] {
            let mut reached = vec![false; sources.len()];
            let mut stack = vec![first];
            while let Some(file) = stack.pop() {
                if file == 0 || std::mem::replace(&mut reached[file], true) {
                    continue;
                }
                stack.extend(includes[file].iter().map(|&(_, to)| to));
            }
            let errors: Vec<&Diagnostic> = self
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .filter(|d| {
                    sources
                        .iter()
                        .position(|s| Arc::ptr_eq(s, &d.loc.source))
                        .is_some_and(|file| reached[file])
                })
                .collect();
            if !errors.is_empty() {
                out.push((span, errors));
            }
        }
        out
    }
}

/// The statements of a tree, innermost last, that hold `offset` (a cursor
/// at either end of a span is in it).
pub(crate) fn items_at(tree: &ast::Policy, offset: usize) -> Vec<&Item> {
    let mut out = Vec::new();
    let mut items = tree.items.as_slice();
    loop {
        let Some(item) = items.iter().find(|item| contains(item.span, offset)) else {
            return out;
        };
        out.push(item);
        match item.kind.block() {
            Some(block) if !contains(block.header_span, offset) => items = &block.items,
            _ => return out,
        }
    }
}

pub(crate) fn contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The head of each statement of a tree: a block's header, another
/// statement whole, as suppression comments see them.
pub(crate) fn heads(tree: &ast::Policy) -> Vec<(Span, &Item)> {
    tree.walk()
        .into_iter()
        .filter(|(_, item)| !matches!(item.kind, ItemKind::Error { .. }))
        .map(|(_, item)| (item.kind.block().map_or(item.span, |b| b.header_span), item))
        .collect()
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Data-driven tests: a policy with `$0` where the cursor is.

    use super::Analysis;
    use scrim_compiler::Loader;

    /// Files an included path may name in tests.
    pub(crate) struct Files(pub &'static [(&'static str, &'static str)]);

    impl Loader for Files {
        fn load(&self, path: &str) -> Result<String, String> {
            self.0
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| "no such file".to_string())
        }
    }

    /// The policy without its `$0`, checked as `/p/policy.scrim`, and the
    /// cursor's offset.
    pub(crate) fn at_cursor(input: &str, files: &Files) -> (Analysis, usize) {
        let offset = input.find("$0").expect("a `$0` marks the cursor");
        let text = input.replacen("$0", "", 1);
        (Analysis::check("/p/policy.scrim", &text, files), offset)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::Files;
    use super::*;
    use proptest::prelude::*;

    /// Policy-like text, finished or not: what an editor holds while its
    /// author types.
    fn typed() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "scrim 1\n",
                "mask ",
                "allow ",
                "block ",
                "ignore ",
                "default ",
                "detect ",
                "lint ",
                "preset ",
                "include ",
                "on page ",
                "when ",
                "sensitive attributes ",
                "text",
                "value",
                "attr:",
                "data-*",
                "events",
                "all",
                ", ",
                "\"",
                "\".a\"",
                "\"é𝕏\"",
                "/x/",
                " as n",
                " with ",
                "length 4",
                "capture",
                "{",
                "}",
                "\n",
                "\r\n",
                "# scrim: allow ",
                "unreachable-rule",
                "#",
                " ",
                "rrweb",
                "email",
                "examples ",
                "not consent a",
                "𝕏",
                "é",
            ]),
            0..30,
        )
        .prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// Every feature answers at every position of any text, without
        /// panicking, and answers with spans inside the text.
        #[test]
        fn every_feature_answers_anywhere(text in typed()) {
            let files = Files(&[("/p/x.scrim", "scrim 1\ndetect a /a/\n")]);
            let analysis = Analysis::check("/p/policy.scrim", &text, &files);
            let _ = analysis.include_errors();
            let _ = actions::format_edits("/p/policy.scrim", &text);
            let inside = |span: Span| span.start <= span.end && span.end <= text.len();
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if let Some(found) = hover::hover(&analysis, offset) {
                    prop_assert!(inside(found.span));
                }
                if let Some(found) = completion::completion(&analysis, offset) {
                    prop_assert!(inside(found.replace));
                }
                let _ = definition::definition(&analysis, offset);
                for fix in actions::fixes(&analysis, Span::new(offset, offset)) {
                    prop_assert!(fix.edits.iter().all(|(span, _)| inside(*span)));
                    let _ = actions::apply(&text, &fix.edits);
                }
            }
        }
    }
}
