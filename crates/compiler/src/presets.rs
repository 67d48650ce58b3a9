//! The vendor markup presets, shipped inside the compiler as scrim policies
//! (`crates/compiler/presets/*.scrim`).

/// Every preset: its name and its policy text.
pub const PRESETS: &[(&str, &str)] = &[
    ("rrweb", include_str!("../presets/rrweb.scrim")),
    ("sentry", include_str!("../presets/sentry.scrim")),
    ("datadog", include_str!("../presets/datadog.scrim")),
    ("posthog", include_str!("../presets/posthog.scrim")),
    ("fullstory", include_str!("../presets/fullstory.scrim")),
    ("logrocket", include_str!("../presets/logrocket.scrim")),
    ("hotjar", include_str!("../presets/hotjar.scrim")),
    ("clarity", include_str!("../presets/clarity.scrim")),
    ("openreplay", include_str!("../presets/openreplay.scrim")),
    ("heap", include_str!("../presets/heap.scrim")),
];

/// The text of the preset called `name`.
pub fn preset(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The names of all presets, for messages.
pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|(name, _)| *name).collect()
}
