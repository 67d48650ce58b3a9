//! What a decision says: the channel an integration asks about, how that
//! channel is recorded, and whether an element is recorded at all.

use scrim_artifact::Strategy;

/// One channel of one element, as asked by an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelRef<'a> {
    Text,
    Value,
    /// One attribute, by name.
    Attr(&'a str),
    Media,
    Events,
}

/// How one channel of one element is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOutcome<'p> {
    /// Nothing is recorded: the page is off or the element is blocked.
    Off,
    /// Recorded in clear; text and values still go through the page's
    /// detectors ([`Page::scrub`](crate::Page::scrub)).
    Capture,
    /// Masked with this strategy. For `events`: ignored.
    Mask(&'p Strategy),
}

impl ChannelOutcome<'_> {
    /// Whether the original content may be recorded (after detectors).
    pub fn is_capture(&self) -> bool {
        matches!(self, ChannelOutcome::Capture)
    }
}

/// Whether an element is recorded at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Recorded; see the channels.
    Recorded,
    /// The outermost blocked element: record a placeholder with its tag
    /// name (and size, when known) and nothing else.
    Placeholder,
    /// Inside a blocked element: record nothing.
    Hidden,
    /// The page is off: record nothing.
    PageOff,
}

/// The decision for one element: its status and its fixed channels.
/// Attributes are decided one by one ([`Walker::attribute`](crate::Walker::attribute)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'p> {
    pub status: Status,
    pub text: ChannelOutcome<'p>,
    pub value: ChannelOutcome<'p>,
    pub media: ChannelOutcome<'p>,
    pub events: ChannelOutcome<'p>,
}

impl Decision<'_> {
    pub(crate) fn off(status: Status) -> Self {
        Decision {
            status,
            text: ChannelOutcome::Off,
            value: ChannelOutcome::Off,
            media: ChannelOutcome::Off,
            events: ChannelOutcome::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ChannelOutcome;
    use scrim_artifact::Strategy;

    #[test]
    fn only_capture_records_the_original_content() {
        // Integrations write content in clear when this says so: a masked
        // or an off channel must never.
        assert!(ChannelOutcome::Capture.is_capture());
        assert!(!ChannelOutcome::Off.is_capture());
        assert!(!ChannelOutcome::Mask(&Strategy::Stars).is_capture());
    }
}
