//! The policy as written, beside the compiled artifact. The artifact keeps
//! what runs; a notice also needs what a reader wrote: the statements the
//! artifact folds away (version lines, includes, presets, the sensitive
//! set), the names given with `as`, and the comments beside a rule. Each
//! statement is found again by the position the artifact records for it.

use scrim_artifact as art;
use scrim_syntax::ast::Item;
use scrim_syntax::{SourceFile, Span};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The files of a compiled policy, parsed again, indexed like
/// [`art::Artifact::sources`].
pub(crate) struct Written {
    files: Vec<File>,
}

struct File {
    /// Shown in sources: the path the file was compiled from.
    name: String,
    source: Option<Arc<SourceFile>>,
    /// A shipped preset rather than a file of the team's.
    preset: Option<String>,
    /// Every statement, depth first, with its span.
    statements: Vec<Item>,
    /// The index in `statements` of the statement that starts at an offset.
    by_start: HashMap<usize, usize>,
    /// The comment beside each statement, by the statement's start.
    notes: HashMap<usize, String>,
}

/// One policy line that a sentence summarises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyLine {
    /// The file, as the policy was compiled (`examples/shop.scrim`).
    pub file: String,
    /// 1-based line and column of the statement.
    pub line: u32,
    pub column: u32,
    /// The statement as written (a block's header only), on one line.
    pub text: String,
    /// The file's index and the statement's start, to order sources.
    #[serde(skip)]
    pub(crate) order: (u32, u32),
}

/// A statement of one of the team's files (not a preset's).
pub(crate) struct Statement<'w> {
    pub file: u32,
    pub item: &'w Item,
}

impl Written {
    pub(crate) fn new(artifact: &art::Artifact, sources: &[Arc<SourceFile>]) -> Written {
        let files = artifact
            .sources
            .iter()
            .enumerate()
            .map(|(index, named)| {
                let source = sources.get(index).cloned();
                let preset = named.name.strip_prefix("preset:").map(str::to_string);
                let (statements, notes) = match &source {
                    Some(source) if preset.is_none() => read(source),
                    _ => (Vec::new(), HashMap::new()),
                };
                let by_start = statements
                    .iter()
                    .enumerate()
                    .map(|(index, item)| (item.span.start, index))
                    .collect();
                File {
                    name: source
                        .as_ref()
                        .map_or_else(|| named.name.clone(), |s| s.name().to_string()),
                    source,
                    preset,
                    statements,
                    by_start,
                    notes,
                }
            })
            .collect();
        Written { files }
    }

    /// Every statement of the team's files, depth first, file by file.
    pub(crate) fn statements(&self) -> impl Iterator<Item = Statement<'_>> {
        self.files.iter().enumerate().flat_map(|(file, f)| {
            f.statements.iter().map(move |item| Statement {
                file: file as u32,
                item,
            })
        })
    }

    /// The statement that starts where the artifact says one does.
    pub(crate) fn at(&self, loc: &art::Loc) -> Option<&Item> {
        let file = self.files.get(loc.file as usize)?;
        file.statements
            .get(*file.by_start.get(&(loc.start as usize))?)
    }

    /// The comment beside the statement at `loc`, if it has one.
    pub(crate) fn note(&self, loc: &art::Loc) -> Option<&str> {
        self.files
            .get(loc.file as usize)?
            .notes
            .get(&(loc.start as usize))
            .map(String::as_str)
    }

    /// The name of the preset that file `file` is, if it is one.
    pub(crate) fn preset(&self, file: u32) -> Option<&str> {
        self.files.get(file as usize)?.preset.as_deref()
    }

    /// The index of the file of preset `name`, if the policy uses it.
    pub(crate) fn preset_file(&self, name: &str) -> Option<u32> {
        self.files
            .iter()
            .position(|f| f.preset.as_deref() == Some(name))
            .map(|index| index as u32)
    }

    /// The policy line of an artifact location.
    pub(crate) fn line(&self, loc: &art::Loc) -> PolicyLine {
        self.line_at(loc.file, Span::new(loc.start as usize, loc.end as usize))
            .unwrap_or_else(|| PolicyLine {
                file: self
                    .files
                    .get(loc.file as usize)
                    .map_or_else(String::new, |f| f.name.clone()),
                line: loc.line,
                column: loc.column,
                text: String::new(),
                order: (loc.file, loc.start),
            })
    }

    /// The policy line of a statement: its first line (a block's header).
    pub(crate) fn statement_line(&self, statement: &Statement<'_>) -> PolicyLine {
        let span = match statement.item.kind.block() {
            Some(block) => block.header_span,
            None => statement.item.span,
        };
        self.line_at(statement.file, span)
            .expect("statements come from files with text")
    }

    fn line_at(&self, file: u32, span: Span) -> Option<PolicyLine> {
        let f = self.files.get(file as usize)?;
        let source = f.source.as_ref()?;
        let (line, column) = source.line_column(span.start);
        let text = source.text().get(span.start..span.end)?;
        // A statement is one line; a block's span runs to its `}`, of
        // which only the header is the statement's own line.
        let text = text.lines().next().unwrap_or("").trim();
        Some(PolicyLine {
            file: f.name.clone(),
            line,
            column,
            text: text.to_string(),
            order: (file, span.start as u32),
        })
    }
}

/// The statements of a file, depth first, and the comment beside each: its
/// own-line comments directly above it (no blank line between) and a
/// comment after it on its line, joined.
fn read(source: &Arc<SourceFile>) -> (Vec<Item>, HashMap<usize, String>) {
    let parsed = scrim_syntax::parse(source);
    let line_of = |offset: usize| source.line_column(offset).0;
    let mut own_line: HashMap<u32, &str> = HashMap::new();
    let mut trailing: HashMap<u32, &str> = HashMap::new();
    for comment in &parsed.policy.comments {
        let words = comment.text.trim_start_matches('#').trim();
        let line = line_of(comment.span.start);
        if comment.trailing {
            trailing.insert(line, words);
        } else {
            own_line.insert(line, words);
        }
    }
    let statements: Vec<Item> = parsed
        .policy
        .walk()
        .into_iter()
        .map(|(_, item)| item.clone())
        .collect();
    let mut notes = HashMap::new();
    for item in &statements {
        let line = line_of(item.span.start);
        let mut above = Vec::new();
        let mut previous = line;
        while previous > 1 {
            previous -= 1;
            match own_line.get(&previous) {
                Some(words) => above.push(*words),
                None => break,
            }
        }
        above.reverse();
        above.extend(trailing.get(&line).copied());
        let note = above
            .into_iter()
            .filter(|words| !words.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !note.is_empty() {
            notes.insert(item.span.start, note);
        }
    }
    (statements, notes)
}
