//! The policy as the rules see it: the compiled artifact (scopes resolved,
//! channels expanded, presets and includes merged) joined with the syntax
//! trees it came from (exact spans of selectors, channels and patterns),
//! plus the questions several rules ask: which scopes are in force
//! together, which defaults can be in force, which channel covers which.

use crate::shape::{Shape, split_list};
use scrim_artifact::{self as art, Artifact, Channel, Outcome};
use scrim_compiler::Compilation;
use scrim_syntax::ast::{self, ItemKind};
use scrim_syntax::{Loc, SourceFile, Span};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

pub(crate) struct Model<'c> {
    pub artifact: &'c Artifact,
    pub sources: &'c [Arc<SourceFile>],
    pub trees: &'c [ast::Policy],
    /// Every element rule of the artifact, in its order.
    pub rules: Vec<RuleView<'c>>,
    /// Every statement of the policy's files (presets too), by file and
    /// start offset.
    items: HashMap<(usize, usize), &'c ast::Item>,
    /// For each scope, it and the scopes around it, innermost first.
    chains: Vec<Vec<u32>>,
    /// The complex selectors of every rule, as (position in `rules`,
    /// position in its list), filed as the matcher files them: under one
    /// simple selector of their subject compound, or as universal. A
    /// selector covers another only if its subject compound is a subset of
    /// one of the other's compounds, so only the buckets of the other's
    /// simple selectors (and the universal ones) can hold one that does.
    by_subject: HashMap<String, Vec<(usize, usize)>>,
    universal: Vec<(usize, usize)>,
    /// The same, by canonical CSS: where a selector is written again.
    by_css: HashMap<String, Vec<(usize, usize)>>,
}

/// An element rule: the artifact's, with its statement and selectors.
pub(crate) struct RuleView<'c> {
    /// Its index in the artifact's rules.
    pub index: usize,
    pub art: &'c art::Rule,
    pub ast: &'c ast::ElementRule,
    pub file: usize,
    /// The statement.
    pub span: Span,
    /// One per complex selector of the list.
    pub shapes: Vec<Shape>,
    /// Where each complex selector is written (the whole literal when it
    /// cannot be told apart).
    pub spans: Vec<Span>,
}

/// Whether an attribute is in the policy's sensitive set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sensitivity {
    Yes,
    No,
    /// Depends on the element (`href`, `value` of the built-in set) or on
    /// the attribute under a prefix.
    Depends,
}

impl<'c> Model<'c> {
    pub(crate) fn new(compilation: &'c Compilation) -> Option<Model<'c>> {
        let artifact = compilation.artifact.as_ref()?;
        let mut items = HashMap::new();
        for (file, tree) in compilation.trees.iter().enumerate() {
            for (_, item) in tree.walk() {
                items.insert((file, item.span.start), item);
            }
        }
        let mut rules = Vec::with_capacity(artifact.rules.len());
        for (index, rule) in artifact.rules.iter().enumerate() {
            let file = rule.loc.file as usize;
            let Some(ItemKind::Rule(ast_rule)) = items
                .get(&(file, rule.loc.start as usize))
                .map(|item| &item.kind)
            else {
                // Every rule of an artifact the compiler just wrote comes
                // from a statement; without one nothing can be said of it.
                continue;
            };
            let Ok(list) = scrim_selector::parse(&ast_rule.selector.value) else {
                continue;
            };
            let shapes: Vec<Shape> = list.slice().iter().map(Shape::of).collect();
            let pieces = split_list(&ast_rule.selector.value);
            let spans = if pieces.len() == shapes.len() {
                pieces
                    .into_iter()
                    .map(|r| ast_rule.selector.source_span(r.start, r.end))
                    .collect()
            } else {
                vec![ast_rule.selector.span; shapes.len()]
            };
            rules.push(RuleView {
                index,
                art: rule,
                ast: ast_rule,
                file,
                span: Span::new(rule.loc.start as usize, rule.loc.end as usize),
                shapes,
                spans,
            });
        }
        let mut chains: Vec<Vec<u32>> = Vec::with_capacity(artifact.scopes.len());
        for (index, scope) in artifact.scopes.iter().enumerate() {
            // A scope's parent comes before it; a parent that does not is
            // not followed (the compiler never writes one).
            let mut chain = vec![index as u32];
            if let Some(parent) = scope.parent.filter(|&p| (p as usize) < index) {
                chain.extend_from_slice(&chains[parent as usize]);
            }
            chains.push(chain);
        }
        Some(
            Model {
                artifact,
                sources: &compilation.sources,
                trees: &compilation.trees,
                rules,
                items,
                chains,
                by_subject: HashMap::new(),
                universal: Vec::new(),
                by_css: HashMap::new(),
            }
            .indexed(),
        )
    }

    fn indexed(mut self) -> Model<'c> {
        for (at, rule) in self.rules.iter().enumerate() {
            for (i, shape) in rule.shapes.iter().enumerate() {
                match shape.compounds[0].first() {
                    Some(key) => self
                        .by_subject
                        .entry(key.clone())
                        .or_default()
                        .push((at, i)),
                    None => self.universal.push((at, i)),
                }
                self.by_css
                    .entry(shape.css.clone())
                    .or_default()
                    .push((at, i));
            }
        }
        self
    }

    pub(crate) fn loc(&self, file: usize, span: Span) -> Loc {
        Loc::new(span, self.sources[file].clone())
    }

    /// The statement that starts at `loc` (an artifact location).
    pub(crate) fn item(&self, loc: &art::Loc) -> Option<&'c ast::Item> {
        self.items
            .get(&(loc.file as usize, loc.start as usize))
            .copied()
    }

    /// The preset a file is, if it is one.
    pub(crate) fn preset(&self, file: usize) -> Option<&'c str> {
        self.sources[file].name().strip_prefix("preset:")
    }

    /// Whether a file is the user's (the root policy or an include).
    pub(crate) fn is_user(&self, file: usize) -> bool {
        self.preset(file).is_none()
    }

    /// Every statement of the user's files, those inside blocks included,
    /// with the file it is in.
    pub(crate) fn user_items(&self) -> impl Iterator<Item = (usize, &'c ast::Item)> + '_ {
        let trees: &'c [ast::Policy] = self.trees;
        trees
            .iter()
            .enumerate()
            .filter(|(file, _)| self.is_user(*file))
            .flat_map(|(file, tree)| tree.walk().into_iter().map(move |(_, item)| (file, item)))
    }

    /// The user's rules.
    pub(crate) fn user_rules(&self) -> impl Iterator<Item = &RuleView<'c>> {
        self.rules.iter().filter(|rule| self.is_user(rule.file))
    }

    /// `scope` and the scopes around it, innermost first, ending with 0.
    pub(crate) fn chain(&self, scope: u32) -> &[u32] {
        self.chains.get(scope as usize).map_or(&[], Vec::as_slice)
    }

    /// Whether a statement in scope `outer` is in force wherever one in
    /// `inner` is.
    pub(crate) fn in_force_with(&self, outer: u32, inner: u32) -> bool {
        self.chain(inner).contains(&outer)
    }

    /// The rules with a complex selector that may cover `shape` (as
    /// [`Shape::covers`] asks), with that selector, in the rules' order:
    /// every one that does is among them.
    pub(crate) fn covering_candidates(&self, shape: &Shape) -> Vec<(&RuleView<'c>, &Shape)> {
        let keys: BTreeSet<&str> = shape
            .compounds
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut found: Vec<(usize, usize)> = self.universal.clone();
        for key in keys {
            if let Some(filed) = self.by_subject.get(key) {
                found.extend_from_slice(filed);
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .map(|(at, i)| (&self.rules[at], &self.rules[at].shapes[i]))
            .collect()
    }

    /// The rules with a complex selector written as `shape` is (the same
    /// canonical CSS), in the rules' order, each once.
    pub(crate) fn same_selector(&self, shape: &Shape) -> Vec<&RuleView<'c>> {
        let mut out: Vec<&RuleView<'c>> = Vec::new();
        for &(at, _) in self.by_css.get(&shape.css).into_iter().flatten() {
            if out
                .last()
                .is_none_or(|last| last.index != self.rules[at].index)
            {
                out.push(&self.rules[at]);
            }
        }
        out
    }

    /// Whether `attribute` is in the sensitive set.
    pub(crate) fn sensitivity(&self, attribute: &str) -> Sensitivity {
        let covered = |names: &[String]| {
            names.iter().any(|entry| match entry.strip_suffix('*') {
                Some(prefix) => attribute.starts_with(prefix),
                None => entry == attribute,
            })
        };
        // Form state is never in the set, whatever the policy says.
        if matches!(attribute, "value" | "checked" | "selected") {
            return Sensitivity::Depends;
        }
        match &self.artifact.sensitive_attributes {
            art::SensitiveAttributes::Only { names, builtin } => {
                if *builtin && art::SensitiveAttributes::builtin_conditional().contains(&attribute)
                {
                    Sensitivity::Depends
                } else if covered(names) {
                    Sensitivity::Yes
                } else {
                    Sensitivity::No
                }
            }
            art::SensitiveAttributes::AllExcept { names } => {
                if covered(names) {
                    Sensitivity::No
                } else {
                    Sensitivity::Yes
                }
            }
        }
    }

    /// Whether a rule on channel `rule` always decides channel `asked`
    /// where it matches: the same channel, a prefix covering the
    /// attribute, or `attributes` for an attribute that is always
    /// sensitive.
    pub(crate) fn covers(&self, rule: &Channel, asked: &Channel) -> bool {
        match (rule, asked) {
            (a, b) if a == b => true,
            (Channel::AttrPrefix(p), Channel::Attr(name)) => name.starts_with(p.as_str()),
            (Channel::AttrPrefix(p), Channel::AttrPrefix(q)) => q.starts_with(p.as_str()),
            (Channel::Attributes, Channel::Attr(name)) => {
                self.sensitivity(name) == Sensitivity::Yes
            }
            _ => false,
        }
    }

    /// Whether two channels can decide the same content.
    pub(crate) fn overlap(&self, a: &Channel, b: &Channel) -> bool {
        let loose = |a: &Channel, b: &Channel| match (a, b) {
            (Channel::Attributes, Channel::Attr(name)) => self.sensitivity(name) != Sensitivity::No,
            (Channel::Attributes, Channel::AttrPrefix(_)) => true,
            (Channel::AttrPrefix(p), Channel::AttrPrefix(q)) => {
                p.starts_with(q.as_str()) || q.starts_with(p.as_str())
            }
            (a, b) => self.covers(a, b),
        };
        loose(a, b) || loose(b, a)
    }

    /// The outcomes the default for `channel` can have on a page where
    /// `scope` applies (the resolution order's step 6, read for every
    /// combination of the other scopes).
    pub(crate) fn possible_defaults(&self, channel: &Channel, scope: u32) -> BTreeSet<Outcome> {
        match channel {
            Channel::Attr(name) => {
                let mut out = BTreeSet::new();
                if self.statements_decide(&Channel::Attr(name.clone()), scope, &mut out) {
                    return out;
                }
                let prefix = self
                    .artifact
                    .defaults
                    .iter()
                    .filter_map(|d| match &d.channel {
                        Channel::AttrPrefix(p) if name.starts_with(p.as_str()) => Some(p),
                        _ => None,
                    })
                    .max_by_key(|p| p.len());
                if let Some(prefix) = prefix
                    && self.statements_decide(&Channel::AttrPrefix(prefix.clone()), scope, &mut out)
                {
                    return out;
                }
                match self.sensitivity(name) {
                    Sensitivity::Yes => out.extend(self.set_default(scope)),
                    Sensitivity::No => {
                        out.insert(Outcome::Capture);
                    }
                    Sensitivity::Depends => {
                        out.extend(self.set_default(scope));
                        out.insert(Outcome::Capture);
                    }
                }
                out
            }
            Channel::AttrPrefix(_) => {
                let mut out = BTreeSet::new();
                if !self.statements_decide(channel, scope, &mut out) {
                    out.extend(self.set_default(scope));
                    out.insert(Outcome::Capture);
                }
                out
            }
            Channel::Attributes => {
                // Each attribute of the set: a `default attr:NAME` (or
                // `attr:PREFIX*`) for one of them decides it, not the set's.
                let mut out = self.set_default(scope);
                for statement in &self.artifact.defaults {
                    let one_of_the_set = match &statement.channel {
                        Channel::Attr(name) => self.sensitivity(name) != Sensitivity::No,
                        Channel::AttrPrefix(_) => true,
                        _ => false,
                    };
                    if one_of_the_set {
                        out.extend(self.possible_defaults(&statement.channel, scope));
                    }
                }
                out
            }
            _ => self.statements_or_builtin(channel, scope),
        }
    }

    /// The outcomes of the `default attributes` statements (or the
    /// built-in default): what an attribute of the sensitive set without a
    /// default of its own gets.
    fn set_default(&self, scope: u32) -> BTreeSet<Outcome> {
        self.statements_or_builtin(&Channel::Attributes, scope)
    }

    fn statements_or_builtin(&self, channel: &Channel, scope: u32) -> BTreeSet<Outcome> {
        let mut out = BTreeSet::new();
        // Where no statement is always in force, the built-in default is,
        // on the pages no scoped statement applies to.
        if !self.statements_decide(channel, scope, &mut out) {
            out.insert(builtin_default(channel));
        }
        out
    }

    /// Adds the outcomes the `default` statements for exactly `channel`
    /// can give where `scope` applies; `true` when one of them is always
    /// in force there (so nothing further down the precedence counts).
    fn statements_decide(
        &self,
        channel: &Channel,
        scope: u32,
        out: &mut BTreeSet<Outcome>,
    ) -> bool {
        let chain = self.chain(scope);
        let statements: Vec<&art::DefaultOutcome> = self
            .artifact
            .defaults
            .iter()
            .filter(|d| &d.channel == channel)
            .collect();
        let global = statements.iter().rev().find(|d| d.scope == 0);
        let in_chain: BTreeSet<Outcome> = statements
            .iter()
            .filter(|d| d.scope != 0 && chain.contains(&d.scope))
            .map(|d| d.outcome)
            .collect();
        let others: BTreeSet<Outcome> = statements
            .iter()
            .filter(|d| d.scope != 0 && !chain.contains(&d.scope))
            .map(|d| d.outcome)
            .collect();
        if in_chain.contains(&Outcome::Mask) {
            out.insert(Outcome::Mask);
            return true;
        }
        if !in_chain.is_empty() {
            out.insert(Outcome::Capture);
            out.extend(others);
            return true;
        }
        out.extend(others);
        match global {
            Some(global) => {
                out.insert(global.outcome);
                true
            }
            None => false,
        }
    }

    /// The outcome of the default for `channel` wherever `scope` applies,
    /// when it is always the same.
    pub(crate) fn default_always(&self, channel: &Channel, scope: u32) -> Option<Outcome> {
        let outcomes = self.possible_defaults(channel, scope);
        match outcomes.len() {
            1 => outcomes.into_iter().next(),
            _ => None,
        }
    }
}

/// The built-in default of a channel: private for content, captured for
/// media and events.
fn builtin_default(channel: &Channel) -> Outcome {
    match channel {
        Channel::Text | Channel::Value | Channel::Attributes => Outcome::Mask,
        Channel::Media | Channel::Events | Channel::Attr(_) | Channel::AttrPrefix(_) => {
            Outcome::Capture
        }
    }
}

impl<'c> RuleView<'c> {
    /// Whether it masks (`mask`, or `ignore` for events).
    pub(crate) fn masks(&self) -> bool {
        self.art.action == art::Action::Mask
    }

    pub(crate) fn allows(&self) -> bool {
        self.art.action == art::Action::Allow
    }

    pub(crate) fn blocks(&self) -> bool {
        self.art.action == art::Action::Block
    }

    /// The statement as a reader would name it: `mask text ".x"`.
    pub(crate) fn describe(&self) -> String {
        let mut out = self.ast.verb.keyword().to_string();
        if self.ast.sealed {
            out.push_str(" sealed");
        }
        for (i, channel) in self.ast.channels.iter().enumerate() {
            out.push_str(if i == 0 { " " } else { ", " });
            out.push_str(&channel.channel.to_string());
        }
        out.push_str(&format!(" \"{}\"", self.ast.selector.value));
        format!("`{out}`")
    }
}
