//! Datadog's `datadogRum.init()` options (DataDog/browser-sdk v7.9.0:
//! `packages/browser-rum-core/src/domain/privacy.ts`, `privacyConstants.ts`,
//! `configuration/configuration.ts`; serialisation in
//! `packages/browser-rum/src/domain/record/serialization/`).
//!
//! `defaultPrivacyLevel` is the level of the document root; every element
//! takes the level of its own `data-dd-privacy` attribute or
//! `dd-privacy-*` class, else its parent's (a `hidden` parent wins), and
//! inputs of type password, email, tel and hidden, and card and password
//! `autocomplete` fields, are `mask` whatever the markup (the datadog
//! preset). The levels:
//!
//! - `allow`: everything recorded in clear.
//! - `mask-user-input` (the default): form values masked, and the text
//!   of form elements (`<option>`, `<textarea>`, `<output>`); other text
//!   and every attribute recorded in clear.
//! - `mask`: text, values, image sources and links masked, and the
//!   attributes `title`, `alt`, `placeholder`, `aria-label`, `name` and
//!   every `data-*`.
//! - `mask-unless-allowlisted`: as `mask`, except text the page puts in
//!   its runtime allowlist (`$DD_ALLOW`), which a policy cannot see.

use crate::ImportError;
use crate::policy::PolicyText;
use crate::settings::Settings;

const LEVELS: [&str; 4] = [
    "allow",
    "mask-user-input",
    "mask",
    "mask-unless-allowlisted",
];

pub(crate) fn import(settings: &mut Settings, out: &mut PolicyText) -> Result<(), ImportError> {
    let level = settings
        .string("defaultPrivacyLevel")?
        .unwrap_or_else(|| "mask-user-input".to_string());
    if !LEVELS.contains(&level.as_str()) {
        return Err(ImportError::new(format!(
            "`defaultPrivacyLevel`: `{level}` is not a privacy level"
        ))
        .with_help(format!(
            "use one of {}",
            LEVELS.map(|l| format!("`{l}`")).join(", ")
        )));
    }
    if let Some(name) = settings.string("actionNameAttribute")? {
        settings.warn(
            "actionNameAttribute",
            format!(
                "Datadog never masks `{name}`; the policy masks it where it masks other attributes"
            ),
        );
    }
    if let Some(consent) = settings.string("trackingConsent")? {
        settings.warn(
            "trackingConsent",
            format!("`{consent}`: consent comes from the page at run time; to record only with consent, add `require consent NAME` with your consent category"),
        );
    }
    settings.function("beforeSend", "it edits RUM events, not the recorded page");
    settings.unrelated(&[
        "applicationId",
        "clientToken",
        "site",
        "service",
        "env",
        "version",
        "sessionSampleRate",
        "sessionReplaySampleRate",
        "startSessionReplayRecordingManually",
        "trackUserInteractions",
        "trackResources",
        "trackLongTasks",
        "trackViewsManually",
        "trackBfcacheViews",
        "enablePrivacyForActionName",
        "allowedTracingUrls",
        "traceSampleRate",
        "traceContextInjection",
        "excludedActivityUrls",
        "workerUrl",
        "compressIntakeRequests",
        "storeContextsAcrossPages",
        "silentMultipleInit",
        "proxy",
        "subdomain",
        "telemetrySampleRate",
        "sessionPersistence",
        "allowFallbackToLocalStorage",
        "allowUntrustedEvents",
        "usePartitionedCrossSiteSessionCookie",
        "useSecureSessionCookie",
        "trackSessionAcrossSubdomains",
        "defaultPrivacyLevelForActionNames",
        "sessionReplayCanvasRecording",
    ]);

    out.group(
        "Datadog's element overrides (data-dd-privacy and the dd-privacy-* classes) and its forced masks of password, email, tel, hidden and card inputs: the datadog preset.",
        vec!["preset datadog".to_string()],
    );
    match level.as_str() {
        "allow" => out.group(
            "defaultPrivacyLevel: allow. Text, form values and media are recorded in clear.",
            vec!["default text, value, media capture".to_string()],
        ),
        "mask-user-input" => {
            out.group(
                "defaultPrivacyLevel: mask-user-input (the default). Text is recorded in clear, form values are masked, and so is the text of form elements (an <option>'s and a <textarea>'s text are form values in scrim).",
                vec![
                    "default text capture".to_string(),
                    "default value mask".to_string(),
                    "mask text \"output\"".to_string(),
                ],
            );
        }
        masked => {
            let allowlist = if masked == "mask-unless-allowlisted" {
                " The page's runtime allowlist ($DD_ALLOW) cannot be seen by a policy: its text stays masked."
            } else {
                ""
            };
            out.group(
                format!(
                    "defaultPrivacyLevel: {masked}. Text, form values and media are masked, and the attributes Datadog masks at this level: title, alt, placeholder, aria-label, name, links and every data-* attribute.{allowlist}"
                ),
                vec![
                    "sensitive attributes defaults, name, data-*".to_string(),
                    "default text, value, media mask".to_string(),
                    "default attr:href mask".to_string(),
                ],
            );
        }
    }
    if level == "allow" || level == "mask-user-input" {
        out.group(
            format!(
                "At `{level}` Datadog records every attribute in clear. The policy keeps scrim's default, which masks the sensitive ones (title, alt, placeholder, aria-label, …): write `default attributes capture` to record them as Datadog did."
            ),
            vec!["default attributes mask".to_string()],
        );
    } else {
        out.group(
            "The attributes above are masked wherever no override allows them.",
            vec!["default attributes mask".to_string()],
        );
    }
    Ok(())
}
