//! PostHog's recorder, read literally from PostHog/posthog-js 1.418.10:
//!
//! - `packages/browser/src/extensions/replay/external/lazy-loaded-session-recorder.ts`,
//!   `_startRecorder`: the options it passes to its rrweb fork
//!   (`blockClass 'ph-no-capture'`, `ignoreClass 'ph-ignore-input'`,
//!   `maskTextClass 'ph-mask'`, `maskAllInputs: true`, `maskInputOptions:
//!   { password: true }`, `maskAllElementAttributes: false`), overridden
//!   by the keys of `session_recording` it knows (`maskInputOptions`
//!   merged over `{ password: true }`), others ignored; `_masking` gives
//!   the same values for the four masking keys when no remote config is
//!   set.
//! - `packages/rrweb/rrweb-snapshot/src/snapshot.ts` and `utils.ts`: the
//!   fork's masking, rrweb's ([`super::rrweb`]), plus
//!   `maskAllElementAttributes`, which masks every attribute of the final
//!   serialised element (`maskAttributeValue`), synthesised values too.

use super::rrweb::{Options, on_keys};
use serde_json::{Map, Value};

/// `posthog.init(config)`'s recorder options.
pub fn options(config: &Value) -> Options {
    let mut options: Map<String, Value> = serde_json::from_str(
        r#"{"blockClass": "ph-no-capture", "ignoreClass": "ph-ignore-input",
            "maskTextClass": "ph-mask", "maskAllInputs": true,
            "maskInputOptions": {"password": true}, "maskAllElementAttributes": false}"#,
    )
    .unwrap();
    const KNOWN: [&str; 8] = [
        "blockClass",
        "blockSelector",
        "ignoreClass",
        "maskTextClass",
        "maskTextSelector",
        "maskAllInputs",
        "maskInputOptions",
        "maskAllElementAttributes",
    ];
    if let Some(Value::Object(recording)) = config.get("session_recording") {
        for (key, value) in recording {
            if !KNOWN.contains(&key.as_str()) {
                continue;
            }
            if key == "maskInputOptions" {
                let mut merged = Map::new();
                merged.insert("password".into(), Value::Bool(true));
                if let Value::Object(given) = value {
                    merged.extend(given.clone());
                }
                options.insert(key.clone(), Value::Object(merged));
            } else {
                options.insert(key.clone(), value.clone());
            }
        }
    }
    let options = Value::Object(options);
    let mut recorder = Options::record(&options);
    recorder.mask_all_element_attributes = options
        .get("maskAllElementAttributes")
        .and_then(Value::as_bool)
        == Some(true);
    // `record()` reads `maskInputOptions` only without `maskAllInputs`.
    if options.get("maskAllInputs").and_then(Value::as_bool) != Some(true) {
        recorder.mask_input = on_keys(options.get("maskInputOptions"));
    }
    recorder
}
