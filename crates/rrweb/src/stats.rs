//! What a session masked and dropped, by reason.

use std::fmt;

/// Why an event, or part of one, was not passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// The page is not recorded: no URL the runtime can read yet, consent
    /// missing, `never record`, `record only`; or the page changed and no
    /// full snapshot has come since.
    PageOff,
    /// Not JSON, or not an rrweb event of a known shape.
    Malformed,
    /// An event type or incremental source this version does not know.
    UnknownType,
    /// Names a node the mirror does not know.
    UnknownNode,
    /// A mutation that adds a node whose parent never appears.
    Unplaceable,
    /// Inside a blocked element, or targets one.
    Blocked,
    /// Targets an element whose `events` are ignored.
    Ignored,
    /// Media or canvas content under a masked `media` channel.
    MediaMasked,
    /// Custom, plugin and log events: no policy statement keeps them.
    NotKept,
}

impl DropReason {
    /// Every reason, in the order reports list them.
    pub const ALL: [DropReason; 9] = [
        DropReason::PageOff,
        DropReason::Malformed,
        DropReason::UnknownType,
        DropReason::UnknownNode,
        DropReason::Unplaceable,
        DropReason::Blocked,
        DropReason::Ignored,
        DropReason::MediaMasked,
        DropReason::NotKept,
    ];

    /// The reason in words, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::PageOff => "page off",
            DropReason::Malformed => "malformed",
            DropReason::UnknownType => "unknown type",
            DropReason::UnknownNode => "unknown node",
            DropReason::Unplaceable => "unplaceable",
            DropReason::Blocked => "blocked",
            DropReason::Ignored => "events ignored",
            DropReason::MediaMasked => "media masked",
            DropReason::NotKept => "not kept",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Counters of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Events given to the session.
    pub events_in: u64,
    /// Events it wrote (re-emissions included).
    pub events_out: u64,
    /// Texts, values, attributes and URLs written masked.
    pub masked: u64,
    dropped: [u64; DropReason::ALL.len()],
}

impl Stats {
    /// How many events, or parts of events (a mutation's entries, a move's
    /// positions, a selection's ranges), were dropped for `reason`.
    pub fn dropped(&self, reason: DropReason) -> u64 {
        self.dropped[reason as usize]
    }

    /// Everything dropped, whatever the reason.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }

    pub(crate) fn drop(&mut self, reason: DropReason) {
        self.dropped[reason as usize] += 1;
    }
}
