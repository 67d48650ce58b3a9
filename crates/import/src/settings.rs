//! Reading a vendor's options object: each importer takes the settings it
//! knows by name and type, names the ones that say nothing about what is
//! recorded, and whatever is left over is reported, never dropped in
//! silence.

use crate::{ImportError, Note, Severity};
use serde_json::{Map, Value};

/// The options object, as the importer takes settings out of it, and the
/// notes gathered so far.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The path of this object in the configuration (`session_recording.`),
    /// prefixed to every setting named in a note or an error.
    prefix: String,
    rest: Map<String, Value>,
    notes: Vec<Note>,
    /// Settings known to say nothing about what is recorded, found.
    unrelated: Vec<String>,
}

impl Settings {
    pub(crate) fn new(object: Map<String, Value>) -> Settings {
        Settings {
            prefix: String::new(),
            rest: object,
            notes: Vec::new(),
            unrelated: Vec::new(),
        }
    }

    /// The setting's full name, for messages.
    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn wrong_type(&self, key: &str, expected: &str, value: &Value) -> ImportError {
        ImportError::new(format!(
            "`{}` must be {expected}, not {}",
            self.path(key),
            describe(value)
        ))
    }

    /// Takes a setting whatever its type; `None` when absent. JSON `null`
    /// reads as absent, as the vendors' own defaults treat it.
    fn take(&mut self, key: &str) -> Option<Value> {
        match self.rest.remove(key)? {
            Value::Null => None,
            value => Some(value),
        }
    }

    pub(crate) fn bool(&mut self, key: &str) -> Result<Option<bool>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.wrong_type(key, "`true` or `false`", &other)),
        }
    }

    pub(crate) fn string(&mut self, key: &str) -> Result<Option<String>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", &other)),
        }
    }

    /// A list of strings; a single string is read as a list of one.
    pub(crate) fn strings(&mut self, key: &str) -> Result<Option<Vec<String>>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(vec![s])),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    other => Err(self.wrong_type(key, "a list of strings", &other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(other) => Err(self.wrong_type(key, "a list of strings", &other)),
        }
    }

    /// A nested object, read as settings of its own (its notes come back
    /// with [`Settings::absorb`]).
    pub(crate) fn object(&mut self, key: &str) -> Result<Option<Settings>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(object)) => Ok(Some(Settings {
                prefix: format!("{}{key}.", self.prefix),
                rest: object,
                notes: Vec::new(),
                unrelated: Vec::new(),
            })),
            Some(other) => Err(self.wrong_type(key, "an object", &other)),
        }
    }

    /// Takes back a nested object's notes, its leftovers reported.
    pub(crate) fn absorb(&mut self, nested: Settings) {
        self.notes.extend(nested.finish());
    }

    /// A setting that is a function in the vendor's SDK: it cannot be
    /// given as JSON, and scrim has no code hooks. Reported if present.
    pub(crate) fn function(&mut self, key: &str, instead: &str) {
        if self.take(key).is_some() {
            let setting = self.path(key);
            self.warn(
                &setting,
                format!("not imported: a function cannot be read from JSON; {instead}"),
            );
        }
    }

    /// Settings that say nothing about what is recorded (sampling,
    /// transport, performance): taken and listed in one note.
    pub(crate) fn unrelated(&mut self, keys: &[&str]) {
        for key in keys {
            if self.rest.remove(*key).is_some() {
                self.unrelated.push(self.path(key));
            }
        }
    }

    pub(crate) fn warn(&mut self, setting: &str, message: impl Into<String>) {
        self.notes.push(Note {
            severity: Severity::Warning,
            setting: setting.to_string(),
            message: message.into(),
        });
    }

    /// Every note, with one for the settings that say nothing about what
    /// is recorded and one per setting nobody took.
    pub(crate) fn finish(mut self) -> Vec<Note> {
        if !self.unrelated.is_empty() {
            let names: Vec<String> = self.unrelated.iter().map(|n| format!("`{n}`")).collect();
            let setting = self.unrelated.remove(0);
            let message = if names.len() == 1 {
                "not about what is recorded, not imported".to_string()
            } else {
                format!(
                    "not about what is recorded, not imported; nor are {}",
                    names[1..].join(", ")
                )
            };
            self.notes.push(Note {
                severity: Severity::Note,
                setting,
                message,
            });
        }
        let leftover: Vec<String> = self.rest.keys().cloned().collect();
        for key in leftover {
            let setting = self.path(&key);
            self.notes.push(Note {
                severity: Severity::Warning,
                setting,
                message:
                    "unknown setting: not imported; if it hides something, write that as a rule"
                        .to_string(),
            });
        }
        self.notes
    }
}

/// A JSON value's kind, for messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "`null`".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}
