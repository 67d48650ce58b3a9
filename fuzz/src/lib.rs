//! What the fuzz targets share: the example policies, compiled once, and
//! the recording context an input byte chooses.

use scrim_matcher::{Context, Policy};
use std::sync::OnceLock;

/// The example policies, and the two extremes (everything captured; every
/// channel masked), compiled once. Their shared include is served from
/// memory.
pub fn example_policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        struct Examples;
        impl scrim_compiler::Loader for Examples {
            fn load(&self, path: &str) -> Result<String, String> {
                match path {
                    "shared/baseline.scrim" => {
                        Ok(include_str!("../../examples/shared/baseline.scrim").to_string())
                    }
                    _ => Err(format!("`{path}` is not available")),
                }
            }
        }
        [
            include_str!("../../examples/shop.scrim"),
            include_str!("../../examples/bank.scrim"),
            include_str!("../../examples/admin.scrim"),
            include_str!("../../examples/patient-portal.scrim"),
            "scrim 1\ndefault text, value, attributes, media capture\n",
            "scrim 1\nsensitive attributes all\ndefault text, value, attributes, media mask\n",
        ]
        .iter()
        .map(|text| {
            let compiled = scrim_compiler::compile("policy.scrim", text, &Examples);
            let artifact = compiled.artifact.expect("the example policies compile");
            Policy::from_artifact(artifact).expect("and load")
        })
        .collect()
    })
}

/// The pages of the example policies.
const URLS: &[&str] = &[
    "https://shop.example.com/checkout/payment",
    "https://bank.example.com/accounts",
    "https://admin.example.com/users",
    "https://portal.example-health.org/appointments",
];

/// The policy and the context (one of the examples' pages, the consent
/// they ask for, in the EU) that an input's first byte chooses.
pub fn chosen(choice: u8) -> (&'static Policy, Context) {
    let policies = example_policies();
    let policy = &policies[usize::from(choice) % policies.len()];
    let context = Context {
        url: URLS[usize::from(choice / 8) % URLS.len()].into(),
        consent: vec![
            "session-replay".into(),
            "health-data-notice".into(),
            "marketing".into(),
        ],
        region: Some("EU".into()),
    };
    (policy, context)
}
