//! Lowering: walks the syntax trees of the root policy, its includes and
//! presets in order, checks what the grammar cannot, and builds the artifact.
//! Every check reports at the span of the part that is wrong and lowering
//! goes on, so one run reports every mistake it can.

use crate::paths::{file_name, join, relative_to_root};
use crate::{Compilation, Loader, floors, patterns, presets, regexes};
use scrim_artifact as art;
use scrim_syntax::ast::{self, ConditionKind, ItemKind, Verb};
use scrim_syntax::{Code, Diagnostic, LANGUAGE_VERSION, Loc, SourceFile, Span, suggest};
use std::collections::HashMap;
use std::sync::Arc;

const DETECTORS: &[&str] = crate::BUILTIN_DETECTORS;

/// How deep includes may nest (a file included by a file included by …
/// the root). Real policies use two or three levels; each level is a
/// recursion of the lowering, so the limit keeps it within a small stack.
pub const MAX_INCLUDE_DEPTH: usize = 16;

pub(crate) fn compile(path: &str, text: &str, loader: &dyn Loader) -> Compilation {
    let mut lowerer = Lowerer {
        loader,
        root: path.to_string(),
        sources: Vec::new(),
        artifact_sources: Vec::new(),
        diagnostics: Vec::new(),
        include_stack: Vec::new(),
        scopes: vec![art::Scope {
            parent: None,
            conditions: Vec::new(),
            loc: None,
        }],
        page_rules: Vec::new(),
        rules: Vec::new(),
        defaults: Vec::new(),
        detectors: Vec::new(),
        redactions: Vec::new(),
        sensitive: None,
        rule_names: HashMap::new(),
        detector_names: HashMap::new(),
        presets_used: HashMap::new(),
        lint_levels: HashMap::new(),
        trees: Vec::new(),
    };
    let source = SourceFile::new(path, text);
    lowerer.file(source, path.to_string(), Origin::Policy);
    let has_errors = lowerer.diagnostics.iter().any(Diagnostic::is_error);
    let mut artifact = (!has_errors).then(|| art::Artifact {
        format: art::FORMAT.to_string(),
        version: art::VERSION,
        language: LANGUAGE_VERSION,
        sources: lowerer.artifact_sources.clone(),
        sensitive_attributes: lowerer
            .sensitive
            .take()
            .map_or_else(art::SensitiveAttributes::builtin, |(set, _)| set),
        scopes: std::mem::take(&mut lowerer.scopes),
        page_rules: std::mem::take(&mut lowerer.page_rules),
        rules: std::mem::take(&mut lowerer.rules),
        defaults: std::mem::take(&mut lowerer.defaults),
        detectors: std::mem::take(&mut lowerer.detectors),
        redactions: std::mem::take(&mut lowerer.redactions),
    });
    // The compiler never writes what a runtime would refuse to load: a
    // policy past one of the format's bounds (more than 256 detectors,
    // a 20 KB selector …) is an error here, not a recorder that records
    // nothing.
    if let Some(Err(error)) = artifact.as_ref().map(art::Artifact::check) {
        artifact = None;
        let error = match error {
            art::LoadError::Invalid(what) => what,
            other => other.to_string(),
        };
        let root = lowerer.sources[0].clone();
        lowerer.diagnostics.push(
            Diagnostic::error(
                Code::CompileLimit,
                Loc::new(Span::new(0, 0), root),
                format!("the compiled policy would exceed a limit of the artifact format: {error}"),
            )
            .with_label("in this policy")
            .with_help("the limits are listed in docs/artifact.md; split the policy or shorten what the message names"),
        );
    }
    // Syntax errors are found before the checks that follow them: show all
    // in the order of the files and of the text.
    let sources = lowerer.sources;
    let trees = lowerer.trees;
    let file_index = |d: &Diagnostic| {
        sources
            .iter()
            .position(|s| Arc::ptr_eq(s, &d.loc.source))
            .unwrap_or(usize::MAX)
    };
    let mut diagnostics = lowerer.diagnostics;
    diagnostics.sort_by_key(|d| (file_index(d), d.loc.span.start, d.loc.span.end));
    scrim_syntax::limit_errors(&mut diagnostics);
    Compilation {
        artifact,
        diagnostics,
        sources,
        trees,
    }
}

/// Where a file comes from: the user's policy files or a shipped preset.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Policy,
    Preset,
}

struct Lowerer<'l> {
    loader: &'l dyn Loader,
    root: String,
    sources: Vec<Arc<SourceFile>>,
    artifact_sources: Vec<art::Source>,
    diagnostics: Vec<Diagnostic>,
    /// Paths of the files being lowered, outermost first (cycle detection).
    include_stack: Vec<String>,
    scopes: Vec<art::Scope>,
    page_rules: Vec<art::PageRule>,
    rules: Vec<art::Rule>,
    defaults: Vec<art::DefaultOutcome>,
    detectors: Vec<art::Detector>,
    redactions: Vec<art::Redaction>,
    sensitive: Option<(art::SensitiveAttributes, Loc)>,
    rule_names: HashMap<String, Loc>,
    detector_names: HashMap<String, Loc>,
    presets_used: HashMap<String, Loc>,
    /// The lint rules whose level is set, and where.
    lint_levels: HashMap<String, Loc>,
    /// The syntax tree of every file in `sources`.
    trees: Vec<ast::Policy>,
}

/// The file being lowered.
struct FileCtx {
    source: Arc<SourceFile>,
    id: u32,
    /// How unnamed rules are named: `shop.scrim` or `preset:rrweb`.
    id_prefix: String,
    origin: Origin,
}

impl FileCtx {
    fn loc(&self, span: Span) -> Loc {
        Loc::new(span, self.source.clone())
    }

    fn art_loc(&self, span: Span) -> art::Loc {
        let (line, column) = self.source.line_column(span.start);
        art::Loc {
            file: self.id,
            line,
            column,
            start: span.start as u32,
            end: span.end as u32,
        }
    }
}

impl Lowerer<'_> {
    fn file(&mut self, source: Arc<SourceFile>, path: String, origin: Origin) {
        // Every error of the file: the cap applies to syntax and compile
        // errors together, at the end.
        let parsed = scrim_syntax::parse_every_error(&source);
        self.diagnostics.extend(parsed.diagnostics);
        let (id_prefix, artifact_name) = match origin {
            Origin::Policy => (
                file_name(&path).to_string(),
                relative_to_root(&self.root, &path),
            ),
            Origin::Preset => (path.clone(), path.clone()),
        };
        let ctx = FileCtx {
            source: source.clone(),
            id: self.sources.len() as u32,
            id_prefix,
            origin,
        };
        self.sources.push(source);
        // Filled in once the file is lowered; files it includes come after.
        self.trees.push(ast::Policy::default());
        self.artifact_sources.push(art::Source {
            name: artifact_name,
        });
        self.include_stack.push(path);
        self.items(&ctx, &parsed.policy.items, 0);
        self.include_stack.pop();
        self.trees[ctx.id as usize] = parsed.policy;
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn items(&mut self, ctx: &FileCtx, items: &[ast::Item], scope: u32) {
        for item in items {
            self.item(ctx, item, scope);
        }
    }

    fn item(&mut self, ctx: &FileCtx, item: &ast::Item, scope: u32) {
        let loc = ctx.art_loc(item.span);
        let statement_id = |ctx: &FileCtx| {
            let (line, _) = ctx.source.line_column(item.span.start);
            format!("{}:{line}", ctx.id_prefix)
        };
        if ctx.origin == Origin::Preset
            && !matches!(
                item.kind,
                ItemKind::Version { .. } | ItemKind::Rule(_) | ItemKind::Error { .. }
            )
        {
            // Presets are shipped with the compiler; a test keeps them to
            // element rules, so this only guards against a packaging mistake.
            self.error(
                Diagnostic::error(
                    Code::CompilePresetStatement,
                    ctx.loc(item.span),
                    "presets may only hold element rules",
                )
                .with_label("not an element rule"),
            );
            return;
        }
        let file_level = matches!(
            item.kind,
            ItemKind::Include { .. }
                | ItemKind::Preset { .. }
                | ItemKind::Sensitive(_)
                | ItemKind::Lint { .. }
        );
        if file_level && scope != 0 {
            // Already reported by the parser as out of place; acting on it
            // would only add a second error about the same line.
            return;
        }
        match &item.kind {
            ItemKind::Version { .. } | ItemKind::Error { .. } => {}
            ItemKind::Include { path } => self.include(ctx, path),
            ItemKind::Preset { names } => {
                for name in names {
                    self.preset(ctx, name);
                }
            }
            ItemKind::Sensitive(set) => self.sensitive(ctx, item.span, set),
            ItemKind::Lint { rules, level } => {
                for rule in rules {
                    self.lint_level(ctx, rule, level);
                }
            }
            ItemKind::RequireConsent { categories } => self.page_rules.push(art::PageRule {
                id: statement_id(ctx),
                scope,
                kind: art::PageRuleKind::RequireConsent {
                    categories: categories.iter().map(|c| c.text.clone()).collect(),
                },
                loc,
            }),
            ItemKind::RecordOnly { patterns } | ItemKind::NeverRecord { patterns } => {
                let Some(patterns) = self.patterns(ctx, patterns) else {
                    return;
                };
                let kind = if matches!(item.kind, ItemKind::RecordOnly { .. }) {
                    art::PageRuleKind::RecordOnly { patterns }
                } else {
                    art::PageRuleKind::NeverRecord { patterns }
                };
                self.page_rules.push(art::PageRule {
                    id: statement_id(ctx),
                    scope,
                    kind,
                    loc,
                });
            }
            ItemKind::RedactQuery { names } => self.redactions.push(art::Redaction {
                scope,
                kind: art::RedactionKind::Query {
                    names: names.iter().map(|n| n.text.clone()).collect(),
                },
                loc,
            }),
            ItemKind::RedactPath { pattern } => {
                if let Err(diagnostic) =
                    regexes::check(pattern, &ctx.source, regexes::Use::WholeMatch)
                {
                    return self.error(diagnostic);
                }
                self.redactions.push(art::Redaction {
                    scope,
                    kind: art::RedactionKind::PathSegment {
                        pattern: pattern.value.clone(),
                    },
                    loc,
                });
            }
            ItemKind::Detect { names } => {
                for name in names {
                    let kind = match name.text.as_str() {
                        "email" => art::DetectorKind::Email,
                        "card" => art::DetectorKind::Card,
                        "phone" => art::DetectorKind::Phone,
                        "national-id" => art::DetectorKind::NationalId,
                        other => {
                            // Sorted: among equally close names, the pick must not
                            // depend on hash-map order.
                            let mut custom: Vec<&str> =
                                self.detector_names.keys().map(String::as_str).collect();
                            custom.sort_unstable();
                            let help = match suggest::did_you_mean(
                                other,
                                DETECTORS.iter().copied().chain(custom),
                            ) {
                                Some(close) => format!("did you mean `{close}`?"),
                                None => format!(
                                    "built-in detectors are {}; define a custom one with `detect {other} /REGEX/`",
                                    suggest::one_of(DETECTORS)
                                ),
                            };
                            let known_custom = self.detector_names.contains_key(other);
                            if known_custom {
                                let diagnostic = Diagnostic::error(
                                    Code::CompileDuplicateDetector,
                                    ctx.loc(name.span),
                                    format!("custom detector `{other}` is already active where it is defined"),
                                )
                                .with_label("named again")
                                .with_help("a custom detector is active from its `detect NAME /REGEX/` line; remove this name");
                                self.error(diagnostic);
                            } else {
                                self.error(
                                    Diagnostic::error(
                                        Code::CompileUnknownDetector,
                                        ctx.loc(name.span),
                                        format!("unknown detector `{other}`"),
                                    )
                                    .with_label("not a detector")
                                    .with_help(help),
                                );
                            }
                            continue;
                        }
                    };
                    self.detectors.push(art::Detector {
                        id: name.text.clone(),
                        scope,
                        kind,
                        loc: ctx.art_loc(name.span),
                    });
                }
            }
            ItemKind::DetectPattern { name, pattern, .. } => {
                if DETECTORS.contains(&name.text.as_str()) {
                    return self.error(
                        Diagnostic::error(
                            Code::CompileDuplicateDetector,
                            ctx.loc(name.span),
                            format!("`{}` is the name of a built-in detector", name.text),
                        )
                        .with_label("already taken")
                        .with_help(format!(
                            "name the custom detector differently, e.g. `custom-{}`",
                            name.text
                        )),
                    );
                }
                if !self.unique(&ctx.loc(name.span), &name.text, NameKind::Detector) {
                    return;
                }
                if let Err(diagnostic) = regexes::check(pattern, &ctx.source, regexes::Use::Search)
                {
                    return self.error(diagnostic);
                }
                self.detectors.push(art::Detector {
                    id: name.text.clone(),
                    scope,
                    kind: art::DetectorKind::Pattern {
                        pattern: pattern.value.clone(),
                    },
                    loc,
                });
            }
            ItemKind::Default { channels, outcome } => {
                let outcome = match outcome.outcome {
                    ast::Outcome::Capture => art::Outcome::Capture,
                    ast::Outcome::Mask | ast::Outcome::Ignore => art::Outcome::Mask,
                };
                for channel in expand_channels(channels) {
                    self.defaults.push(art::DefaultOutcome {
                        scope,
                        channel,
                        outcome,
                        loc,
                    });
                }
            }
            ItemKind::Rule(rule) => self.rule(ctx, item.span, rule, scope, statement_id(ctx)),
            ItemKind::OnPage { patterns, body } => {
                let Some(patterns) = self.patterns(ctx, patterns) else {
                    return;
                };
                let scope = self.scope(
                    scope,
                    vec![art::Condition::Page { patterns }],
                    ctx.art_loc(body.header_span),
                );
                self.items(ctx, &body.items, scope);
            }
            ItemKind::When { conditions, body } => {
                let conditions = conditions
                    .iter()
                    .map(|c| match &c.kind {
                        ConditionKind::Consent(name) => art::Condition::Consent {
                            category: name.text.clone(),
                        },
                        ConditionKind::NoConsent(name) => art::Condition::NoConsent {
                            category: name.text.clone(),
                        },
                        ConditionKind::Region(codes) => art::Condition::Region {
                            codes: codes.iter().map(|c| c.text.to_ascii_uppercase()).collect(),
                        },
                    })
                    .collect();
                let scope = self.scope(scope, conditions, ctx.art_loc(body.header_span));
                self.items(ctx, &body.items, scope);
            }
        }
    }

    fn scope(&mut self, parent: u32, conditions: Vec<art::Condition>, loc: art::Loc) -> u32 {
        self.scopes.push(art::Scope {
            parent: Some(parent),
            conditions,
            loc: Some(loc),
        });
        (self.scopes.len() - 1) as u32
    }

    fn rule(
        &mut self,
        ctx: &FileCtx,
        span: Span,
        rule: &ast::ElementRule,
        scope: u32,
        default_id: String,
    ) {
        let list = match scrim_selector::parse(&rule.selector.value) {
            Ok(list) => list,
            Err(error) => {
                let at = rule
                    .selector
                    .source_span(error.start, error.end.max(error.start));
                let at = if at.is_empty() {
                    rule.selector.span
                } else {
                    at
                };
                return self.error(
                    Diagnostic::error(
                        Code::CompileInvalidSelector,
                        ctx.loc(at),
                        format!("invalid CSS selector: {}", error.message),
                    )
                    .with_label("here")
                    .with_help(selector_help(&rule.selector.value)),
                );
            }
        };
        let id = match &rule.name {
            Some(name) if ctx.origin == Origin::Preset => {
                format!("{}:{}", ctx.id_prefix, name.text)
            }
            Some(name) => {
                if !self.unique(&ctx.loc(name.span), &name.text, NameKind::Rule) {
                    return;
                }
                name.text.clone()
            }
            None => default_id,
        };
        let channels = expand_channels(&rule.channels);
        if rule.verb == Verb::Allow
            && channels.contains(&art::Channel::Value)
            && let Some(floor) = floors::target(&list)
        {
            return self.error(
                Diagnostic::error(
                    Code::CompileAllowFloor,
                    ctx.loc(rule.selector.span),
                    format!(
                        "the value of {} is always masked and cannot be allowed",
                        floor.inputs()
                    ),
                )
                .with_label("selects inputs under a floor")
                .with_help("remove `value` from this rule; floors protect passwords, card data, one-time codes and hidden inputs"),
            );
        }
        let strategy = match rule.strategy.as_ref().map(|s| &s.strategy) {
            None | Some(ast::Strategy::Stars) => art::Strategy::Stars,
            Some(ast::Strategy::Fixed(text)) => {
                let chars = text.value.chars().count();
                if chars > art::limits::MAX_FIXED_TEXT_CHARS {
                    return self.error(
                        Diagnostic::error(
                            Code::CompileLimit,
                            ctx.loc(text.span),
                            format!(
                                "the masking text is {chars} characters long (the limit is {})",
                                art::limits::MAX_FIXED_TEXT_CHARS
                            ),
                        )
                        .with_label("too long")
                        .with_help("a masking text replaces what it masks; a short label such as `[redacted]` says as much"),
                    );
                }
                art::Strategy::Fixed {
                    text: text.value.clone(),
                }
            }
            Some(ast::Strategy::Length(length)) => art::Strategy::Length { length: *length },
        };
        let action = match rule.verb {
            Verb::Block => art::Action::Block,
            Verb::Mask | Verb::Ignore => art::Action::Mask,
            Verb::Allow => art::Action::Allow,
        };
        self.rules.push(art::Rule {
            id,
            scope,
            action,
            channels,
            selector: scrim_selector::to_canonical_css(&list),
            sealed: rule.sealed,
            strategy,
            loc: ctx.art_loc(span),
        });
    }

    fn patterns(&mut self, ctx: &FileCtx, literals: &[ast::Str]) -> Option<Vec<art::UrlPattern>> {
        let mut out = Vec::new();
        let mut ok = true;
        for literal in literals {
            match patterns::lower(literal, &ctx.source) {
                Ok(pattern) => out.push(pattern),
                Err(diagnostic) => {
                    self.error(diagnostic);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn sensitive(&mut self, ctx: &FileCtx, span: Span, set: &ast::SensitiveAttributes) {
        let lower = |names: &[ast::Name]| -> Vec<String> {
            let mut names: Vec<String> =
                names.iter().map(|n| n.text.to_ascii_lowercase()).collect();
            names.sort();
            names.dedup();
            names
        };
        let set = match set {
            ast::SensitiveAttributes::List { names } => {
                let builtin = names.iter().any(|n| n.text == "defaults");
                let mut list: Vec<String> = names
                    .iter()
                    .filter(|n| n.text != "defaults")
                    .map(|n| n.text.clone())
                    .collect();
                if builtin {
                    list.extend(
                        art::SensitiveAttributes::BUILTIN
                            .iter()
                            .map(|s| s.to_string()),
                    );
                }
                let names: Vec<ast::Name> = list
                    .into_iter()
                    .map(|text| ast::Name { text, span })
                    .collect();
                art::SensitiveAttributes::Only {
                    names: lower(&names),
                    builtin,
                }
            }
            ast::SensitiveAttributes::AllExcept { names } => art::SensitiveAttributes::AllExcept {
                names: lower(names),
            },
        };
        if let Some((_, first)) = &self.sensitive {
            let first = first.clone();
            return self.error(
                Diagnostic::error(
                    Code::CompileDuplicateSensitive,
                    ctx.loc(span),
                    "the sensitive attributes are set twice",
                )
                .with_label("set again here")
                .with_related(first, "first set here")
                .with_help("keep one `sensitive attributes` statement; list `defaults` in it to extend the built-in set"),
            );
        }
        self.sensitive = Some((set, ctx.loc(span)));
    }

    fn include(&mut self, ctx: &FileCtx, literal: &ast::Str) {
        let including = self.include_stack.last().cloned().unwrap_or_default();
        let path = join(&including, &literal.value);
        if self.include_stack.contains(&path) {
            let mut chain: Vec<&str> = self.include_stack.iter().map(String::as_str).collect();
            chain.push(&path);
            return self.error(
                Diagnostic::error(
                    Code::CompileIncludeCycle,
                    ctx.loc(literal.span),
                    format!("`{}` includes itself: {}", literal.value, chain.join(" → ")),
                )
                .with_label("closes the cycle")
                .with_help("remove this include; each file needs to be included once"),
            );
        }
        if self.sources.iter().any(|s| s.name() == path) {
            // Included already by another file: its rules are in the policy once.
            return;
        }
        // The stack holds the root policy and the includes being lowered.
        if self.include_stack.len() > MAX_INCLUDE_DEPTH {
            return self.error(
                Diagnostic::error(
                    Code::CompileIncludeTooDeep,
                    ctx.loc(literal.span),
                    format!("includes are nested more than {MAX_INCLUDE_DEPTH} levels deep"),
                )
                .with_label("one level too many")
                .with_help("include shared files from the root policy rather than from each other"),
            );
        }
        match self.loader.load(&path) {
            Ok(text) => {
                let source = SourceFile::new(path.clone(), text);
                self.file(source, path, Origin::Policy);
            }
            Err(reason) => self.error(
                Diagnostic::error(
                    Code::CompileIncludeMissing,
                    ctx.loc(literal.span),
                    format!("cannot read included file `{path}`: {reason}"),
                )
                .with_label("included here")
                .with_help("include paths are relative to the file that includes them"),
            ),
        }
    }

    fn preset(&mut self, ctx: &FileCtx, name: &ast::Name) {
        let Some(text) = presets::preset(&name.text) else {
            let names = presets::names();
            return self.error(
                Diagnostic::error(
                    Code::CompileUnknownPreset,
                    ctx.loc(name.span),
                    format!("unknown preset `{}`", name.text),
                )
                .with_label("not a preset")
                .with_help(suggest::help_for(&name.text, &names)),
            );
        };
        if let Some(first) = self.presets_used.get(&name.text) {
            let first = first.clone();
            return self.error(
                Diagnostic::warning(
                    Code::CompileDuplicatePreset,
                    ctx.loc(name.span),
                    format!("preset `{}` is already used", name.text),
                )
                .with_label("used again")
                .with_related(first, "first used here")
                .with_help("remove this one"),
            );
        }
        self.presets_used
            .insert(name.text.clone(), ctx.loc(name.span));
        let path = format!("preset:{}", name.text);
        self.file(SourceFile::new(path.clone(), text), path, Origin::Preset);
    }

    /// Checks one rule of a `lint` statement: a rule the linter has, at a
    /// level it can take, set once in the whole policy.
    fn lint_level(&mut self, ctx: &FileCtx, rule: &ast::Name, level: &ast::LintLevelRef) {
        let id = rule.text.as_str();
        if let Some((_, code)) = crate::FIXED_LINTS.iter().find(|(fixed, _)| *fixed == id) {
            if level.level != ast::LintLevel::Deny {
                self.error(
                    Diagnostic::error(
                        Code::CompileLintLevel,
                        ctx.loc(level.span),
                        format!("`{id}` is always an error and cannot be set to `{}`", level.level.keyword()),
                    )
                    .with_label("not a level this rule can take")
                    .with_help(format!(
                        "the compiler refuses such a policy (`{code}`): fix the rule it reports instead of lowering it"
                    )),
                );
                return;
            }
        } else if Code::of_lint_rule(id).is_none() {
            let known = crate::lint_rule_ids();
            self.error(
                Diagnostic::error(
                    Code::CompileUnknownLint,
                    ctx.loc(rule.span),
                    format!("unknown lint rule `{id}`"),
                )
                .with_label("not a lint rule")
                .with_help(
                    match suggest::did_you_mean(id, known.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "`scrim lint --explain` lists every rule".to_string(),
                    },
                ),
            );
            return;
        }
        if let Some(first) = self.lint_levels.get(id) {
            let first = first.clone();
            self.error(
                Diagnostic::error(
                    Code::CompileDuplicateLint,
                    ctx.loc(rule.span),
                    format!("the level of `{id}` is set twice"),
                )
                .with_label("set again here")
                .with_related(first, "first set here")
                .with_help("keep one `lint` statement for this rule"),
            );
            return;
        }
        self.lint_levels.insert(id.to_string(), ctx.loc(rule.span));
    }

    /// Records a user-given name; reports a duplicate and returns false.
    fn unique(&mut self, loc: &Loc, name: &str, kind: NameKind) -> bool {
        let names = match kind {
            NameKind::Rule => &mut self.rule_names,
            NameKind::Detector => &mut self.detector_names,
        };
        if let Some(first) = names.get(name) {
            let diagnostic = Diagnostic::error(
                Code::CompileDuplicateName,
                loc.clone(),
                format!("the {} name `{name}` is used twice", kind.noun()),
            )
            .with_label("used again here")
            .with_related(first.clone(), "first used here")
            .with_help(format!("give this {} another name", kind.noun()));
            self.error(diagnostic);
            return false;
        }
        names.insert(name.to_string(), loc.clone());
        true
    }
}

#[derive(Clone, Copy)]
enum NameKind {
    Rule,
    Detector,
}

impl NameKind {
    fn noun(self) -> &'static str {
        match self {
            NameKind::Rule => "rule",
            NameKind::Detector => "detector",
        }
    }
}

/// The artifact's channels for what a statement names, `all` expanded,
/// without duplicates, in a fixed order.
fn expand_channels(channels: &[ast::ChannelRef]) -> Vec<art::Channel> {
    let mut out = Vec::new();
    for channel in channels {
        let expanded: Vec<art::Channel> = match &channel.channel {
            ast::Channel::Text => vec![art::Channel::Text],
            ast::Channel::Value => vec![art::Channel::Value],
            ast::Channel::Attributes => vec![art::Channel::Attributes],
            ast::Channel::Attr(name) => vec![art::Channel::Attr(name.clone())],
            ast::Channel::AttrPrefix(prefix) => vec![art::Channel::AttrPrefix(prefix.clone())],
            ast::Channel::Media => vec![art::Channel::Media],
            ast::Channel::Events => vec![art::Channel::Events],
            ast::Channel::All => {
                vec![
                    art::Channel::Text,
                    art::Channel::Value,
                    art::Channel::Attributes,
                    art::Channel::Media,
                ]
            }
        };
        for channel in expanded {
            if !out.contains(&channel) {
                out.push(channel);
            }
        }
    }
    out.sort();
    out
}

fn selector_help(selector: &str) -> String {
    if selector.contains(":hover") || selector.contains(":focus") || selector.contains(":checked") {
        "interaction states such as `:hover` are not part of a recording; select by markup instead"
            .to_string()
    } else if selector.contains("::") {
        "rules select elements, not pseudo-elements: drop the `::…` part".to_string()
    } else {
        "write a CSS selector list, e.g. `.card, input[name='email']`".to_string()
    }
}
