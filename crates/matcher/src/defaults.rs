//! Step 6 of the resolution order: the default of each channel on a page,
//! for an element that no rule decides. The global scope's `default`
//! statements, overridden by those of the other scopes in force (between
//! two of those, the stricter), else the built-in defaults: text, value and
//! sensitive attributes masked; media, events and other attributes
//! captured.

use crate::decision::{ChannelOutcome, ChannelRef};
use crate::mask::STARS;
use crate::policy::{FIXED_KEYS, KEY_ATTRIBUTES, KEY_EVENTS, KEY_MEDIA, KEY_TEXT, KEY_VALUE};
use crate::vocabulary::prefix_covers;
use scrim_artifact::{Channel, DefaultOutcome, Outcome};

/// A channel's default, and the `default` statement it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DefaultSlot {
    pub(crate) outcome: Outcome,
    pub(crate) from: Option<usize>,
}

impl DefaultSlot {
    /// How a channel with this default is recorded.
    pub(crate) fn channel_outcome(self) -> ChannelOutcome<'static> {
        match self.outcome {
            Outcome::Capture => ChannelOutcome::Capture,
            Outcome::Mask => ChannelOutcome::Mask(&STARS),
        }
    }
}

/// The defaults in force on one page.
#[derive(Debug)]
pub(crate) struct Defaults<'p> {
    /// Defaults of the fixed keys (text, value, media, events, attributes).
    fixed: [DefaultSlot; FIXED_KEYS as usize],
    /// `default attr:NAME …` statements in force.
    attrs: Vec<(&'p str, DefaultSlot)>,
    /// `default attr:PREFIX* …` statements in force, longest prefix first.
    prefixes: Vec<(&'p str, DefaultSlot)>,
}

impl<'p> Defaults<'p> {
    /// The defaults of the scopes that apply; `statements` are the
    /// artifact's `default` statements.
    pub(crate) fn new(statements: &'p [DefaultOutcome], applies: &[bool]) -> Self {
        let builtin = |key: u16| DefaultSlot {
            outcome: if key == KEY_MEDIA || key == KEY_EVENTS {
                Outcome::Capture
            } else {
                Outcome::Mask
            },
            from: None,
        };
        let mut global: Vec<(Channel, DefaultSlot)> = Vec::new();
        let mut scoped: Vec<(Channel, DefaultSlot)> = Vec::new();
        for (i, d) in statements.iter().enumerate() {
            if !applies[d.scope as usize] {
                continue;
            }
            let slot = DefaultSlot {
                outcome: d.outcome,
                from: Some(i),
            };
            let list = if d.scope == 0 {
                &mut global
            } else {
                &mut scoped
            };
            match list.iter_mut().find(|(c, _)| *c == d.channel) {
                Some((_, old)) if d.scope == 0 => *old = slot,
                Some((_, old)) => {
                    if slot.outcome > old.outcome {
                        *old = slot
                    }
                }
                None => list.push((d.channel.clone(), slot)),
            }
        }
        let lookup = |c: &Channel| {
            scoped
                .iter()
                .find(|(k, _)| k == c)
                .or_else(|| global.iter().find(|(k, _)| k == c))
                .map(|(_, s)| *s)
        };
        let fixed = [
            Channel::Text,
            Channel::Value,
            Channel::Media,
            Channel::Events,
            Channel::Attributes,
        ];
        let keys = [KEY_TEXT, KEY_VALUE, KEY_MEDIA, KEY_EVENTS, KEY_ATTRIBUTES];
        let defaults = std::array::from_fn(|i| lookup(&fixed[i]).unwrap_or(builtin(keys[i])));
        let mut attr_defaults: Vec<(&str, DefaultSlot)> = Vec::new();
        let mut prefix_defaults: Vec<(&str, DefaultSlot)> = Vec::new();
        for d in statements {
            let (list, name) = match &d.channel {
                Channel::Attr(name) => (&mut attr_defaults, name),
                Channel::AttrPrefix(prefix) => (&mut prefix_defaults, prefix),
                _ => continue,
            };
            if !list.iter().any(|(n, _)| n == name)
                && let Some(slot) = lookup(&d.channel)
            {
                list.push((name.as_str(), slot));
            }
        }
        // The most specific pattern decides: the longest prefix.
        prefix_defaults.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
        Defaults {
            fixed: defaults,
            attrs: attr_defaults,
            prefixes: prefix_defaults,
        }
    }

    /// The default for `channel`, knowing for an attribute whether it is
    /// in the sensitive set on the element.
    pub(crate) fn for_channel(&self, channel: ChannelRef<'_>, sensitive: bool) -> DefaultSlot {
        match channel {
            ChannelRef::Text => self.fixed[KEY_TEXT as usize],
            ChannelRef::Value => self.fixed[KEY_VALUE as usize],
            ChannelRef::Media => self.fixed[KEY_MEDIA as usize],
            ChannelRef::Events => self.fixed[KEY_EVENTS as usize],
            ChannelRef::Attr(name) => self.for_attr(name, sensitive),
        }
    }

    /// The default for attribute `name`, knowing whether it is sensitive
    /// on the element: the most specific statement that names it decides
    /// (`attr:NAME`, then the longest `attr:PREFIX*`, then `attributes`
    /// when it is sensitive), else it is captured.
    fn for_attr(&self, name: &str, sensitive: bool) -> DefaultSlot {
        if let Some((_, slot)) = self
            .attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .or_else(|| self.prefixes.iter().find(|(p, _)| prefix_covers(p, name)))
        {
            *slot
        } else if sensitive {
            self.fixed[KEY_ATTRIBUTES as usize]
        } else {
            DefaultSlot {
                outcome: Outcome::Capture,
                from: None,
            }
        }
    }
}
