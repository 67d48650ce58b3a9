//! Building a disclosure: the sentences of each section, from the compiled
//! artifact's statements and the written policy beside it.
//!
//! Rules are summarised in groups: the rules of one scope that do the same
//! to the same channels make one sentence, which lists the parts of pages
//! they name (an item each, with the rule's own line). A sentence that
//! holds only on some pages or for some visitors says so first, and cites
//! the block headers that make it so. Where the policy sets nothing, the
//! sentence says what scrim does by default and cites no policy line.

use crate::templates::{Key, Part, Templates};
use crate::written::{PolicyLine, Written};
use crate::{Disclosure, Item, Section, Sentence, Source, plain};
use scrim_artifact as art;
use scrim_syntax::SourceFile;
use scrim_syntax::ast::ItemKind;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// The notice for a compiled policy. `sources` are the files it was
/// compiled from, indexed like the artifact's (as
/// `scrim_compiler::Compilation::sources` holds them); a file missing there
/// is cited by name and line only.
pub fn disclose(
    artifact: &art::Artifact,
    sources: &[Arc<SourceFile>],
    templates: &Templates,
) -> Disclosure {
    let builder = Builder {
        artifact,
        written: Written::new(artifact, sources),
        t: templates,
    };
    builder.build()
}

/// The sections, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SectionId {
    About,
    Pages,
    NeverRecorded,
    Hidden,
    Shown,
    Interactions,
    Markup,
    Detectors,
    Addresses,
}

impl SectionId {
    const ALL: [SectionId; 9] = [
        SectionId::About,
        SectionId::Pages,
        SectionId::NeverRecorded,
        SectionId::Hidden,
        SectionId::Shown,
        SectionId::Interactions,
        SectionId::Markup,
        SectionId::Detectors,
        SectionId::Addresses,
    ];

    fn id(self) -> &'static str {
        match self {
            SectionId::About => "about",
            SectionId::Pages => "pages",
            SectionId::NeverRecorded => "never_recorded",
            SectionId::Hidden => "hidden",
            SectionId::Shown => "shown",
            SectionId::Interactions => "interactions",
            SectionId::Markup => "markup",
            SectionId::Detectors => "detectors",
            SectionId::Addresses => "addresses",
        }
    }

    fn heading(self) -> Key {
        match self {
            SectionId::About => Key::SectionAbout,
            SectionId::Pages => Key::SectionPages,
            SectionId::NeverRecorded => Key::SectionNeverRecorded,
            SectionId::Hidden => Key::SectionHidden,
            SectionId::Shown => Key::SectionShown,
            SectionId::Interactions => Key::SectionInteractions,
            SectionId::Markup => Key::SectionMarkup,
            SectionId::Detectors => Key::SectionDetectors,
            SectionId::Addresses => Key::SectionAddresses,
        }
    }
}

/// A sentence on its way into a section: sentences of the whole policy
/// come first, then those of each block in the order of the policy; within
/// a scope, `rank` orders the kinds of sentence.
struct Draft {
    section: SectionId,
    scope: u32,
    rank: u8,
    sentence: Sentence,
}

/// What the rules of a group do, for the sentence that lists them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RuleGroup {
    Block,
    Sealed(Vec<art::Channel>),
    Mask(Vec<art::Channel>),
    Allow(Vec<art::Channel>),
    IgnoreEvents,
    AllowEvents,
}

struct Builder<'a> {
    artifact: &'a art::Artifact,
    written: Written,
    t: &'a Templates,
}

impl Builder<'_> {
    fn build(&self) -> Disclosure {
        let mut drafts = Vec::new();
        self.about(&mut drafts);
        self.pages(&mut drafts);
        self.rules(&mut drafts);
        self.defaults(&mut drafts);
        self.markup(&mut drafts);
        self.detectors(&mut drafts);
        self.addresses(&mut drafts);
        drafts.sort_by_key(|d| (d.scope, d.rank));
        let sections = SectionId::ALL
            .iter()
            .filter_map(|&id| {
                let sentences: Vec<Sentence> = drafts
                    .iter()
                    .filter(|d| d.section == id)
                    .map(|d| d.sentence.clone())
                    .collect();
                (!sentences.is_empty()).then(|| Section {
                    id: id.id(),
                    heading: self.t.text(id.heading()),
                    sentences,
                })
            })
            .collect();
        Disclosure {
            language: self.t.language(),
            title: self.t.text(Key::Title),
            sections,
        }
    }

    // ---- sections ------------------------------------------------------

    fn about(&self, drafts: &mut Vec<Draft>) {
        // The policy as a whole: the version line of each file, the
        // includes that bring the files together and the lint levels, which
        // shape how the policy is checked, not what is recorded.
        let whole: Vec<Source> = self
            .written
            .statements()
            .filter(|s| {
                matches!(
                    s.item.kind,
                    ItemKind::Version { .. } | ItemKind::Include { .. } | ItemKind::Lint { .. }
                )
            })
            .map(|s| Source::Policy(self.written.statement_line(&s)))
            .collect();
        drafts.push(self.draft(SectionId::About, 0, 0, Key::AboutIntro, &[], whole, vec![]));
        drafts.push(self.built_in(SectionId::About, 1, Key::AboutInBrowser));
        drafts.push(self.built_in(SectionId::About, 2, Key::AboutMasking));
    }

    fn pages(&self, drafts: &mut Vec<Draft>) {
        // `record only` lines add up: the pages of every list in force are
        // recorded. So the lists of a scope make one sentence, and a
        // block's list says "only" just where no other list can add to it
        // (none for the whole policy, none in another block); elsewhere it
        // says "also", which never claims less is recorded than is.
        let mut lists: Vec<(u32, Vec<art::UrlPattern>, Vec<Source>)> = Vec::new();
        let mut consent = false;
        for rule in &self.artifact.page_rules {
            let source = self.source(&rule.loc);
            let (rank, key, values) = match &rule.kind {
                art::PageRuleKind::RecordOnly { patterns } => {
                    match lists.iter_mut().find(|(scope, _, _)| *scope == rule.scope) {
                        Some((_, all, sources)) => {
                            all.extend(patterns.iter().cloned());
                            sources.push(source);
                        }
                        None => lists.push((rule.scope, patterns.clone(), vec![source])),
                    }
                    continue;
                }
                art::PageRuleKind::NeverRecord { patterns } => {
                    (1, Key::PagesNeverRecord, vec![self.patterns(patterns)])
                }
                art::PageRuleKind::RequireConsent { categories } => {
                    consent |= rule.scope == 0;
                    let names = categories.iter().map(|c| vec![code(c)]).collect();
                    (
                        2,
                        Key::PagesRequireConsent,
                        vec![self.t.list(names, Key::ListAnd)],
                    )
                }
            };
            drafts.push(self.draft(
                SectionId::Pages,
                rule.scope,
                rank,
                key,
                &values,
                vec![source],
                vec![],
            ));
        }
        let whole = lists.iter().any(|(scope, _, _)| *scope == 0);
        let alone = !whole && lists.len() == 1;
        for (scope, patterns, sources) in &lists {
            let key = if *scope == 0 || alone {
                Key::PagesRecordOnly
            } else {
                Key::PagesRecordAlso
            };
            drafts.push(self.draft(
                SectionId::Pages,
                *scope,
                0,
                key,
                &[self.patterns(patterns)],
                sources.clone(),
                vec![],
            ));
        }
        if !whole {
            drafts.push(self.by_default(SectionId::Pages, 0, Key::PagesRecordAny));
        }
        if !consent {
            drafts.push(self.by_default(SectionId::Pages, 2, Key::PagesNoConsent));
        }
    }

    fn rules(&self, drafts: &mut Vec<Draft>) {
        drafts.push(self.built_in(SectionId::NeverRecorded, 0, Key::NeverPageCode));
        drafts.push(self.built_in(SectionId::Hidden, 0, Key::HiddenFloors));
        let mut groups: Vec<(u32, RuleGroup, Vec<Item>)> = Vec::new();
        let mut group_of: HashMap<(u32, RuleGroup), usize> = HashMap::new();
        // Presets are summarised by the markings they honour (`markup`).
        let own = self
            .artifact
            .rules
            .iter()
            .filter(|rule| self.written.preset(rule.loc.file).is_none());
        for rule in own {
            let events = rule.channels.contains(&art::Channel::Events);
            let channels: Vec<art::Channel> = rule
                .channels
                .iter()
                .filter(|c| **c != art::Channel::Events)
                .cloned()
                .collect();
            let mut kinds = Vec::new();
            match rule.action {
                art::Action::Block => kinds.push(RuleGroup::Block),
                art::Action::Mask => {
                    if !channels.is_empty() {
                        kinds.push(if rule.sealed {
                            RuleGroup::Sealed(channels)
                        } else {
                            RuleGroup::Mask(channels)
                        });
                    }
                    if events {
                        kinds.push(RuleGroup::IgnoreEvents);
                    }
                }
                art::Action::Allow => {
                    if !channels.is_empty() {
                        kinds.push(RuleGroup::Allow(channels));
                    }
                    if events {
                        kinds.push(RuleGroup::AllowEvents);
                    }
                }
            }
            for kind in kinds {
                let item = self.rule_item(rule);
                match group_of.entry((rule.scope, kind.clone())) {
                    Entry::Occupied(at) => groups[*at.get()].2.push(item),
                    Entry::Vacant(at) => {
                        at.insert(groups.len());
                        groups.push((rule.scope, kind, vec![item]));
                    }
                }
            }
        }
        for (scope, group, items) in groups {
            let (section, rank, key, values) = match &group {
                RuleGroup::Block => (SectionId::NeverRecorded, 1, Key::NeverBlocked, vec![]),
                RuleGroup::Sealed(channels) => (
                    SectionId::Hidden,
                    2,
                    Key::HiddenSealed,
                    vec![self.channels(channels)],
                ),
                RuleGroup::Mask(channels) => (
                    SectionId::Hidden,
                    3,
                    Key::HiddenRules,
                    vec![self.channels(channels)],
                ),
                RuleGroup::Allow(channels) => (
                    SectionId::Shown,
                    3,
                    Key::ShownRules,
                    vec![self.channels(channels)],
                ),
                RuleGroup::IgnoreEvents => {
                    (SectionId::Interactions, 2, Key::InteractionsIgnored, vec![])
                }
                RuleGroup::AllowEvents => {
                    (SectionId::Interactions, 3, Key::InteractionsAllowed, vec![])
                }
            };
            drafts.push(self.draft(section, scope, rank, key, &values, vec![], items));
        }
    }

    fn defaults(&self, drafts: &mut Vec<Draft>) {
        // The statements behind each channel's default, per scope, in the
        // order they first appear.
        let mut channels: Vec<(u32, art::Channel, Vec<&art::DefaultOutcome>)> = Vec::new();
        let mut channel_of: HashMap<(u32, &art::Channel), usize> = HashMap::new();
        for default in &self.artifact.defaults {
            match channel_of.entry((default.scope, &default.channel)) {
                Entry::Occupied(at) => channels[*at.get()].2.push(default),
                Entry::Vacant(at) => {
                    at.insert(channels.len());
                    channels.push((default.scope, default.channel.clone(), vec![default]));
                }
            }
        }
        for builtin in [
            art::Channel::Text,
            art::Channel::Value,
            art::Channel::Attributes,
            art::Channel::Media,
            art::Channel::Events,
        ] {
            if !channels.iter().any(|(s, c, _)| *s == 0 && *c == builtin) {
                channels.push((0, builtin, Vec::new()));
            }
        }
        let sensitive = self.sensitive_statement();
        for (scope, channel, statements) in channels {
            let outcome = match statements.as_slice() {
                [] => builtin_default(&channel),
                // The whole policy: the last one written.
                [.., last] if scope == 0 => last.outcome,
                // A block: the stricter, as between blocks.
                some => some
                    .iter()
                    .map(|d| d.outcome)
                    .max()
                    .unwrap_or(art::Outcome::Mask),
            };
            let mut sources: Vec<Source> = statements.iter().map(|d| self.source(&d.loc)).collect();
            if sources.is_empty() {
                sources.push(Source::BuiltInDefault);
            }
            let masked = outcome == art::Outcome::Mask;
            let pick = |hidden: Key, shown: Key| if masked { hidden } else { shown };
            let section = if masked {
                SectionId::Hidden
            } else {
                SectionId::Shown
            };
            let (section, key, values) = match &channel {
                art::Channel::Text => (
                    section,
                    pick(Key::HiddenDefaultText, Key::ShownDefaultText),
                    vec![],
                ),
                art::Channel::Value => (
                    section,
                    pick(Key::HiddenDefaultValue, Key::ShownDefaultValue),
                    vec![],
                ),
                art::Channel::Media => (
                    section,
                    pick(Key::HiddenDefaultMedia, Key::ShownDefaultMedia),
                    vec![],
                ),
                art::Channel::Attributes => {
                    if let Some(line) = &sensitive {
                        sources.push(Source::Policy(line.clone()));
                    }
                    let (key, values) = self.attributes_default(masked);
                    (section, key, values)
                }
                art::Channel::Attr(name) => (
                    section,
                    pick(Key::HiddenDefaultAttribute, Key::ShownDefaultAttribute),
                    vec![vec![code(name)]],
                ),
                art::Channel::AttrPrefix(prefix) => (
                    section,
                    pick(
                        Key::HiddenDefaultAttributePrefix,
                        Key::ShownDefaultAttributePrefix,
                    ),
                    vec![vec![code(prefix)]],
                ),
                art::Channel::Events => (
                    SectionId::Interactions,
                    pick(
                        Key::InteractionsDefaultIgnore,
                        Key::InteractionsDefaultCapture,
                    ),
                    vec![],
                ),
            };
            drafts.push(self.draft(section, scope, 1, key, &values, sources, vec![]));
        }
        // Attributes outside a listed set are captured unless a rule or a
        // default of their own says otherwise.
        if let art::SensitiveAttributes::Only { .. } = self.artifact.sensitive_attributes {
            let source = sensitive.map_or(Source::BuiltInDefault, Source::Policy);
            drafts.push(self.draft(
                SectionId::Shown,
                0,
                2,
                Key::ShownOtherAttributes,
                &[],
                vec![source],
                vec![],
            ));
        }
    }

    fn markup(&self, drafts: &mut Vec<Draft>) {
        let statements: Vec<(PolicyLine, Vec<String>)> = self
            .written
            .statements()
            .filter_map(|s| match &s.item.kind {
                ItemKind::Preset { names } => Some((
                    self.written.statement_line(&s),
                    names.iter().map(|n| n.text.clone()).collect(),
                )),
                _ => None,
            })
            .collect();
        if statements.is_empty() {
            return;
        }
        let mut vendors: Vec<Vec<Part>> = Vec::new();
        for name in statements.iter().flat_map(|(_, names)| names) {
            let words = vec![Part::Text(vendor(name).to_string())];
            if !vendors.contains(&words) {
                vendors.push(words);
            }
        }
        let all = statements
            .iter()
            .map(|(line, _)| Source::Policy(line.clone()))
            .collect();
        drafts.push(self.draft(
            SectionId::Markup,
            0,
            0,
            Key::MarkupPresets,
            &[self.t.list(vendors, Key::ListAnd)],
            all,
            vec![],
        ));
        // What the presets in use do, from their compiled rules.
        let does = |name: &str, action: art::Action| {
            self.written.preset_file(name).is_some_and(|file| {
                self.artifact
                    .rules
                    .iter()
                    .any(|r| r.loc.file == file && r.action == action)
            })
        };
        for (rank, action, key) in [
            (1, art::Action::Block, Key::MarkupBlocks),
            (2, art::Action::Mask, Key::MarkupHides),
            (3, art::Action::Allow, Key::MarkupShows),
        ] {
            let sources: Vec<Source> = statements
                .iter()
                .filter(|(_, names)| names.iter().any(|name| does(name, action)))
                .map(|(line, _)| Source::Policy(line.clone()))
                .collect();
            if !sources.is_empty() {
                drafts.push(self.draft(SectionId::Markup, 0, rank, key, &[], sources, vec![]));
            }
        }
    }

    fn detectors(&self, drafts: &mut Vec<Draft>) {
        if self.artifact.detectors.is_empty() {
            drafts.push(self.built_in(SectionId::Detectors, 0, Key::DetectorsNone));
            return;
        }
        let mut scopes: Vec<(u32, Vec<Item>)> = Vec::new();
        for detector in &self.artifact.detectors {
            let parts = match &detector.kind {
                art::DetectorKind::Email => self.t.fill(Key::DetectorEmail, &[]),
                art::DetectorKind::Card => self.t.fill(Key::DetectorCard, &[]),
                art::DetectorKind::Phone => self.t.fill(Key::DetectorPhone, &[]),
                art::DetectorKind::NationalId => self.t.fill(Key::DetectorNationalId, &[]),
                art::DetectorKind::Pattern { pattern } => self.t.fill(
                    Key::DetectorCustom,
                    &[vec![Part::Text(words(&detector.id))], vec![code(pattern)]],
                ),
            };
            let item = item(parts, vec![self.source(&detector.loc)]);
            match scopes.iter_mut().find(|(s, _)| *s == detector.scope) {
                Some((_, items)) => items.push(item),
                None => scopes.push((detector.scope, vec![item])),
            }
        }
        for (scope, items) in scopes {
            drafts.push(self.draft(
                SectionId::Detectors,
                scope,
                0,
                Key::DetectorsRules,
                &[],
                vec![],
                items,
            ));
        }
    }

    fn addresses(&self, drafts: &mut Vec<Draft>) {
        drafts.push(self.built_in(SectionId::Addresses, 0, Key::AddressesPassword));
        // Query parameters: one sentence per scope, every name in it.
        let mut queries: Vec<(u32, Vec<String>, Vec<Source>)> = Vec::new();
        for redaction in &self.artifact.redactions {
            match &redaction.kind {
                art::RedactionKind::Query { names } => {
                    let source = self.source(&redaction.loc);
                    let at = match queries.iter().position(|(s, _, _)| *s == redaction.scope) {
                        Some(at) => at,
                        None => {
                            queries.push((redaction.scope, Vec::new(), Vec::new()));
                            queries.len() - 1
                        }
                    };
                    let (_, all, sources) = &mut queries[at];
                    for name in names {
                        if !all.contains(name) {
                            all.push(name.clone());
                        }
                    }
                    sources.push(source);
                }
                art::RedactionKind::PathSegment { pattern } => drafts.push(self.draft(
                    SectionId::Addresses,
                    redaction.scope,
                    2,
                    Key::AddressesPath,
                    &[vec![code(pattern)]],
                    vec![self.source(&redaction.loc)],
                    vec![],
                )),
            }
        }
        for (scope, names, sources) in queries {
            let names = names.iter().map(|n| vec![code(n)]).collect();
            drafts.push(self.draft(
                SectionId::Addresses,
                scope,
                1,
                Key::AddressesQuery,
                &[self.t.list(names, Key::ListAnd)],
                sources,
                vec![],
            ));
        }
    }

    // ---- pieces --------------------------------------------------------

    /// A sentence in a scope: its scope's conditions first, and the block
    /// headers among its sources.
    // Each argument is a different part of the sentence; a struct to carry
    // them would only be built to be taken apart here.
    #[allow(clippy::too_many_arguments)]
    fn draft(
        &self,
        section: SectionId,
        scope: u32,
        rank: u8,
        key: Key,
        values: &[Vec<Part>],
        mut sources: Vec<Source>,
        items: Vec<Item>,
    ) -> Draft {
        let mut parts = self.t.fill(key, values);
        if scope != 0 {
            let (conditions, headers) = self.scope(scope);
            parts = self.t.fill(Key::ScopeSentence, &[conditions, parts]);
            sources.extend(headers);
        }
        tidy(&mut sources);
        Draft {
            section,
            scope,
            rank,
            sentence: Sentence {
                template: key.name(),
                text: plain(&parts),
                parts,
                sources,
                items,
            },
        }
    }

    /// A sentence about what scrim does whatever the policy says.
    fn built_in(&self, section: SectionId, rank: u8, key: Key) -> Draft {
        self.draft(section, 0, rank, key, &[], vec![Source::BuiltIn], vec![])
    }

    /// A sentence about what scrim does where the policy says nothing.
    fn by_default(&self, section: SectionId, rank: u8, key: Key) -> Draft {
        self.draft(
            section,
            0,
            rank,
            key,
            &[],
            vec![Source::BuiltInDefault],
            vec![],
        )
    }

    /// The conditions under which scope `scope` holds (its enclosing
    /// blocks' too, outermost first), and the headers of those blocks.
    fn scope(&self, scope: u32) -> (Vec<Part>, Vec<Source>) {
        let mut chain = Vec::new();
        let mut at = Some(scope);
        while let Some(index) = at {
            let Some(scope) = self.artifact.scopes.get(index as usize) else {
                break;
            };
            chain.push(scope);
            at = scope.parent;
        }
        chain.reverse();
        let mut conditions = Vec::new();
        let mut headers = Vec::new();
        for scope in chain {
            if let Some(loc) = &scope.loc {
                headers.push(self.source(loc));
            }
            for condition in &scope.conditions {
                conditions.push(match condition {
                    art::Condition::Page { patterns } => {
                        self.t.fill(Key::ScopePage, &[self.patterns(patterns)])
                    }
                    art::Condition::Consent { category } => {
                        self.t.fill(Key::ScopeConsent, &[vec![code(category)]])
                    }
                    art::Condition::NoConsent { category } => {
                        self.t.fill(Key::ScopeNoConsent, &[vec![code(category)]])
                    }
                    art::Condition::Region { codes } => {
                        let codes = codes.iter().map(|c| vec![Part::Text(c.clone())]).collect();
                        self.t
                            .fill(Key::ScopeRegion, &[self.t.list(codes, Key::ListOr)])
                    }
                });
            }
        }
        (self.t.list(conditions, Key::ListAnd), headers)
    }

    /// URL patterns, any of which matches; `*` alone is any address.
    fn patterns(&self, patterns: &[art::UrlPattern]) -> Vec<Part> {
        let patterns = patterns
            .iter()
            .map(|p| match p.source.as_str() {
                "*" => self.t.fill(Key::PagesAnyPage, &[]),
                source => vec![code(source)],
            })
            .collect();
        self.t.list(patterns, Key::ListOr)
    }

    /// What a rule's channels cover, in words (events have sentences of
    /// their own).
    fn channels(&self, channels: &[art::Channel]) -> Vec<Part> {
        // `all` is said as a whole.
        let everything = [
            art::Channel::Text,
            art::Channel::Value,
            art::Channel::Attributes,
            art::Channel::Media,
        ];
        let all = everything.iter().all(|c| channels.contains(c));
        let all_phrase = all.then(|| self.t.fill(Key::ChannelAll, &[]));
        let phrases = all_phrase
            .into_iter()
            .chain(
                channels
                    .iter()
                    .filter(|channel| !(all && everything.contains(channel)))
                    .filter_map(|channel| {
                        Some(match channel {
                            art::Channel::Text => self.t.fill(Key::ChannelText, &[]),
                            art::Channel::Value => self.t.fill(Key::ChannelValue, &[]),
                            art::Channel::Attributes => self.t.fill(Key::ChannelAttributes, &[]),
                            art::Channel::Attr(name) => {
                                self.t.fill(Key::ChannelAttribute, &[vec![code(name)]])
                            }
                            art::Channel::AttrPrefix(prefix) => self
                                .t
                                .fill(Key::ChannelAttributePrefix, &[vec![code(prefix)]]),
                            art::Channel::Media => self.t.fill(Key::ChannelMedia, &[]),
                            art::Channel::Events => return None,
                        })
                    }),
            )
            .collect();
        self.t.list(phrases, Key::ListAnd)
    }

    /// A rule's entry in its group's list: its name in words where it has
    /// one, else its selector; how it writes what it hides when that is
    /// not stars; and the comment beside it.
    fn rule_item(&self, rule: &art::Rule) -> Item {
        let name = match self.written.at(&rule.loc).map(|item| &item.kind) {
            Some(ItemKind::Rule(written)) => written.name.as_ref().map(|n| words(&n.text)),
            _ => None,
        };
        let mut parts = match name {
            Some(name) => vec![Part::Text(name)],
            None => vec![code(&rule.selector)],
        };
        if rule.action == art::Action::Mask {
            match &rule.strategy {
                art::Strategy::Stars => {}
                art::Strategy::Fixed { text } => {
                    parts = self.t.fill(Key::ItemFixed, &[parts, vec![code(text)]]);
                }
                art::Strategy::Length { length } => {
                    parts = self.t.fill(
                        Key::ItemLength,
                        &[parts, vec![Part::Text(length.to_string())]],
                    );
                }
            }
        }
        if let Some(note) = self.written.note(&rule.loc) {
            parts = self
                .t
                .fill(Key::ItemNote, &[parts, vec![Part::Text(note.to_string())]]);
        }
        item(parts, vec![self.source(&rule.loc)])
    }

    /// The sentence for the default of the `attributes` channel: the
    /// sensitive set it covers, in words where they are the built-in ones.
    fn attributes_default(&self, masked: bool) -> (Key, Vec<Vec<Part>>) {
        let pick = |hidden: Key, shown: Key| if masked { hidden } else { shown };
        match &self.artifact.sensitive_attributes {
            art::SensitiveAttributes::Only { names, builtin } => {
                let mut phrases: Vec<(usize, Vec<Part>)> = Vec::new();
                for name in names {
                    let phrase = builtin_attribute(name, *builtin);
                    let entry = match phrase {
                        Some((order, key)) => (order, self.t.fill(key, &[])),
                        None => (usize::MAX, vec![code(name)]),
                    };
                    if !phrases.contains(&entry) {
                        phrases.push(entry);
                    }
                }
                phrases.sort_by_key(|(order, _)| *order);
                let list = self
                    .t
                    .list(phrases.into_iter().map(|(_, p)| p).collect(), Key::ListAnd);
                (
                    pick(Key::HiddenDefaultAttributes, Key::ShownDefaultAttributes),
                    vec![list],
                )
            }
            art::SensitiveAttributes::AllExcept { names } if names.is_empty() => (
                pick(
                    Key::HiddenDefaultAttributesAll,
                    Key::ShownDefaultAttributesAll,
                ),
                vec![],
            ),
            art::SensitiveAttributes::AllExcept { names } => {
                let names = names.iter().map(|n| vec![code(n)]).collect();
                (
                    pick(
                        Key::HiddenDefaultAttributesAllExcept,
                        Key::ShownDefaultAttributesAllExcept,
                    ),
                    vec![self.t.list(names, Key::ListAnd)],
                )
            }
        }
    }

    /// The `sensitive attributes` statement, which the artifact folds into
    /// the set it gives.
    fn sensitive_statement(&self) -> Option<PolicyLine> {
        self.written
            .statements()
            .find(|s| matches!(s.item.kind, ItemKind::Sensitive(_)))
            .map(|s| self.written.statement_line(&s))
    }

    fn source(&self, loc: &art::Loc) -> Source {
        Source::Policy(self.written.line(loc))
    }
}

fn item(parts: Vec<Part>, sources: Vec<Source>) -> Item {
    Item {
        text: plain(&parts),
        parts,
        sources,
    }
}

fn code(text: &str) -> Part {
    Part::Code(text.to_string())
}

/// Sources in the order of the policy, each once; built-in last.
fn tidy(sources: &mut Vec<Source>) {
    sources.sort_by_key(|source| match source {
        Source::Policy(line) => (0, line.order),
        Source::BuiltIn => (1, (0, 0)),
        Source::BuiltInDefault => (2, (0, 0)),
    });
    sources.dedup();
}

/// A name written as words: `payment-and-address-fields` is "payment and
/// address fields".
fn words(name: &str) -> String {
    name.replace(['-', '_'], " ")
}

/// The outcome of a channel when a policy sets no default (private by
/// default: text, values and sensitive attributes masked).
fn builtin_default(channel: &art::Channel) -> art::Outcome {
    match channel {
        art::Channel::Text | art::Channel::Value | art::Channel::Attributes => art::Outcome::Mask,
        art::Channel::Media | art::Channel::Events => art::Outcome::Capture,
        // Not reached: only the channels above have a built-in default.
        art::Channel::Attr(_) | art::Channel::AttrPrefix(_) => art::Outcome::Mask,
    }
}

/// The words for an attribute of the built-in sensitive set, and where
/// they come in the list. `href` and `value` are the contact links and
/// button labels only by way of the built-in set; listed by name, they are
/// every `href` and `value` and are shown as such.
fn builtin_attribute(name: &str, builtin: bool) -> Option<(usize, Key)> {
    Some(match name {
        "title" => (0, Key::AttributeTitle),
        "alt" => (1, Key::AttributeAlt),
        "placeholder" => (2, Key::AttributePlaceholder),
        "aria-label" | "aria-description" | "aria-valuetext" => (3, Key::AttributeAria),
        "href" if builtin => (4, Key::AttributeHref),
        "value" if builtin => (5, Key::AttributeValue),
        "srcdoc" => (6, Key::AttributeSrcdoc),
        _ => return None,
    })
}

/// A vendor's name as the vendor writes it.
fn vendor(preset: &str) -> &str {
    match preset {
        "rrweb" => "rrweb",
        "sentry" => "Sentry",
        "datadog" => "Datadog",
        "posthog" => "PostHog",
        "fullstory" => "FullStory",
        "logrocket" => "LogRocket",
        "hotjar" => "Hotjar",
        "clarity" => "Microsoft Clarity",
        "openreplay" => "OpenReplay",
        "heap" => "Heap",
        other => other,
    }
}
