//! The protocol layer: open documents, LSP requests and notifications in,
//! responses and published diagnostics out. It is the only part of scrim
//! that knows the protocol; it converts byte spans to UTF-16 positions
//! (through [`LineIndex`]) and reads included files through the loader it
//! is given, open documents first.
//!
//! [`Server`] holds no connection: [`Server::handle`] takes one message and
//! returns what to send, and [`Server::publish_stale`] checks the documents
//! that changed since and returns their diagnostics. The message loop
//! (`crate::run_stdio`) calls it once it has read every message waiting,
//! so a burst of keystrokes is checked once.

use crate::analysis::actions::{self, Edit};
use crate::analysis::completion::{self, CompletionKind};
use crate::analysis::{Analysis, definition, hover};
use crate::line_index::LineIndex;
use crate::uri;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionProviderCapability, CompletionItem,
    CompletionItemKind, CompletionOptions, CompletionTextEdit, DiagnosticRelatedInformation,
    DiagnosticSeverity, DiagnosticTag, Documentation, GotoDefinitionResponse,
    HoverProviderCapability, InitializeParams, Location, MarkupContent, MarkupKind, NumberOrString,
    OneOf, Position, PositionEncodingKind, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextEdit, Uri,
    WorkspaceEdit,
};
use scrim_compiler::Loader;
use scrim_syntax::{Code, Diagnostic, Severity, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Makes the loader that reads the files a policy includes from disk: for
/// the policy at a path, and the folders besides its own that includes
/// may come from. The `scrim` command passes the one `scrim check` uses.
pub type DiskLoader = Box<dyn Fn(&Path, &[PathBuf]) -> Box<dyn Loader>>;

/// An open document.
#[derive(Debug)]
struct Document {
    uri: Uri,
    /// What the compiler knows it by (see `uri`).
    name: String,
    text: String,
    version: i32,
    index: LineIndex,
    /// The check of this version, once made.
    analysis: Option<Analysis>,
}

/// The language server's state: the open documents and how to read the
/// rest.
pub struct Server {
    disk: DiskLoader,
    include_roots: Vec<PathBuf>,
    /// By the text of their URI (a `Uri` makes a poor key: it caches
    /// parts of itself inside).
    documents: BTreeMap<String, Document>,
    /// Open documents whose published diagnostics are out of date.
    stale: BTreeSet<String>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("include_roots", &self.include_roots)
            .field("documents", &self.documents.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The open documents, then the disk, by the names the compiler asks for.
struct Overlay<'a> {
    documents: &'a BTreeMap<String, Document>,
    disk: Option<Box<dyn Loader>>,
}

impl Loader for Overlay<'_> {
    fn load(&self, path: &str) -> Result<String, String> {
        // An open document is what its author sees, saved or not.
        if let Some(document) = self.documents.values().find(|d| d.name == path) {
            return Ok(document.text.clone());
        }
        match &self.disk {
            Some(disk) => disk.load(path),
            None => Err(format!(
                "`{path}` cannot be read: the including document is not a file"
            )),
        }
    }
}

impl Server {
    pub fn new(disk: DiskLoader) -> Server {
        Server {
            disk,
            include_roots: Vec::new(),
            documents: BTreeMap::new(),
            stale: BTreeSet::new(),
        }
    }

    /// What this server can do, for the `initialize` response.
    pub fn capabilities() -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(PositionEncodingKind::UTF16),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![" ".into(), ",".into(), ":".into()]),
                ..CompletionOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            document_formatting_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                    ..lsp_types::CodeActionOptions::default()
                },
            )),
            ..ServerCapabilities::default()
        }
    }

    /// Takes the client's `initialize` parameters: the include roots its
    /// settings name (`initializationOptions.includeRoots`, folders
    /// relative to the workspace, as `--include-root` takes them). Returns
    /// a message for each folder that cannot be used.
    pub fn initialize(&mut self, params: &InitializeParams) -> Vec<Message> {
        #[allow(deprecated)] // `root_uri`: what clients without folders send
        let workspace = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| &folder.uri)
            .or(params.root_uri.as_ref())
            .and_then(uri::file_path);
        let roots = params
            .initialization_options
            .as_ref()
            .and_then(|options| options.get("includeRoots"))
            .and_then(|roots| roots.as_array())
            .cloned()
            .unwrap_or_default();
        let mut out = Vec::new();
        for root in roots {
            let Some(root) = root.as_str() else { continue };
            let path = match &workspace {
                Some(workspace) => workspace.join(root),
                None => PathBuf::from(root),
            };
            match std::fs::canonicalize(&path) {
                Ok(folder) if folder.is_dir() => self.include_roots.push(folder),
                _ => out.push(show_message(
                    lsp_types::MessageType::WARNING,
                    format!(
                        "scrim: include root `{}` is not a folder; includes from it are refused",
                        path.display()
                    ),
                )),
            }
        }
        out
    }

    /// Handles one message from the client; returns what to send back.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(request) => vec![Message::Response(self.request(request))],
            Message::Notification(notification) => self.notification(notification),
            Message::Response(_) => Vec::new(),
        }
    }

    /// Checks the open documents that changed (or whose includes did) and
    /// returns their diagnostics.
    pub fn publish_stale(&mut self) -> Vec<Message> {
        let stale = std::mem::take(&mut self.stale);
        let mut out = Vec::new();
        for uri in stale {
            if let Some(params) = self.diagnostics(&uri) {
                out.push(Message::Notification(Notification::new(
                    notif::PublishDiagnostics::METHOD.to_string(),
                    params,
                )));
            }
        }
        out
    }

    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        match notification.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidOpenTextDocumentParams>(
                    notif::DidOpenTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let document = params.text_document;
                self.documents.insert(
                    document.uri.as_str().to_string(),
                    Document {
                        name: uri::to_name(&document.uri),
                        uri: document.uri.clone(),
                        index: LineIndex::new(&document.text),
                        text: document.text,
                        version: document.version,
                        analysis: None,
                    },
                );
                // A policy may have tried to include it, and failed: every
                // open policy is checked again (opening is rare, and the
                // checks wait for the end of a burst of messages).
                self.changed_on_disk();
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    notif::DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let Some(document) = self.documents.get_mut(params.text_document.uri.as_str())
                else {
                    return Vec::new();
                };
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let start = document.index.offset(&document.text, range.start);
                            let end = document.index.offset(&document.text, range.end).max(start);
                            document.text.replace_range(start..end, &change.text);
                        }
                        None => document.text = change.text,
                    }
                    document.index = LineIndex::new(&document.text);
                }
                document.version = params.text_document.version;
                let name = document.name.clone();
                self.changed(&name);
            }
            notif::DidCloseTextDocument::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidCloseTextDocumentParams>(
                    notif::DidCloseTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let uri = params.text_document.uri;
                if let Some(document) = self.documents.remove(uri.as_str()) {
                    self.stale.remove(uri.as_str());
                    // Documents that included it read it from disk now.
                    self.changed(&document.name);
                    return vec![Message::Notification(Notification::new(
                        notif::PublishDiagnostics::METHOD.to_string(),
                        PublishDiagnosticsParams::new(uri, Vec::new(), None),
                    ))];
                }
            }
            // A file on disk changed: any policy may include it.
            notif::DidSaveTextDocument::METHOD | notif::DidChangeWatchedFiles::METHOD => {
                self.changed_on_disk();
            }
            _ => {}
        }
        Vec::new()
    }

    /// The document named `name` changed: it and every open document
    /// whose check read it are out of date.
    fn changed(&mut self, name: &str) {
        for (uri, document) in &mut self.documents {
            let read_it = document.name == name
                || document
                    .analysis
                    .as_ref()
                    .is_some_and(|a| a.files().any(|file| file == name));
            if read_it {
                document.analysis = None;
                self.stale.insert(uri.clone());
            }
        }
    }

    /// Any file may have changed: every open document is out of date.
    fn changed_on_disk(&mut self) {
        for document in self.documents.values_mut() {
            document.analysis = None;
        }
        self.stale.extend(self.documents.keys().cloned());
    }

    /// The check of the open document at `uri`, made if out of date.
    fn analysis(&mut self, uri: &str) -> Option<&Document> {
        if self.documents.get(uri)?.analysis.is_none() {
            let document = &self.documents[uri];
            let disk =
                uri::file_path(&document.uri).map(|path| (self.disk)(&path, &self.include_roots));
            let overlay = Overlay {
                documents: &self.documents,
                disk,
            };
            let analysis = Analysis::check(&document.name, &document.text, &overlay);
            self.documents.get_mut(uri)?.analysis = Some(analysis);
        }
        self.documents.get(uri)
    }

    fn diagnostics(&mut self, uri: &str) -> Option<PublishDiagnosticsParams> {
        let document = self.analysis(uri)?;
        let analysis = document.analysis.as_ref()?;
        let mut out: Vec<lsp_types::Diagnostic> = analysis
            .root_diagnostics()
            .map(|d| to_lsp_diagnostic(document, d))
            .collect();
        for (span, errors) in analysis.include_errors() {
            let included = document.text[span.start..span.end].trim_matches('"');
            let what = match errors.len() {
                1 => "an error".to_string(),
                n => format!("{n} errors, the first"),
            };
            out.push(lsp_types::Diagnostic {
                range: range(document, span),
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("scrim".into()),
                message: format!(
                    "`{included}` has {what}: {}\nhelp: open the file to see and fix them",
                    errors[0].message
                ),
                related_information: Some(errors.iter().filter_map(|e| related(e)).collect()),
                ..lsp_types::Diagnostic::default()
            });
        }
        out.sort_by_key(|d| (d.range.start, d.range.end));
        Some(PublishDiagnosticsParams::new(
            document.uri.clone(),
            out,
            Some(document.version),
        ))
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => self.hover(request),
            req::Completion::METHOD => self.completion(request),
            req::GotoDefinition::METHOD => self.definition(request),
            req::Formatting::METHOD => self.formatting(request),
            req::CodeActionRequest::METHOD => self.code_actions(request),
            req::Shutdown::METHOD => Ok(serde_json::Value::Null),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("`{method}` is not supported by the scrim language server"),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    fn hover(&mut self, request: Request) -> Outcome {
        let params: lsp_types::HoverParams = extract::<req::HoverRequest>(request)?;
        let at = params.text_document_position_params;
        let Some((document, offset)) = self.at(&at.text_document.uri, at.position) else {
            return null();
        };
        let Some(found) = hover::hover(document.analysis.as_ref().expect("checked"), offset) else {
            return null();
        };
        json(lsp_types::Hover {
            contents: lsp_types::HoverContents::Markup(markdown(found.markdown)),
            range: Some(range(document, found.span)),
        })
    }

    fn completion(&mut self, request: Request) -> Outcome {
        let params: lsp_types::CompletionParams = extract::<req::Completion>(request)?;
        let at = params.text_document_position;
        let Some((document, offset)) = self.at(&at.text_document.uri, at.position) else {
            return null();
        };
        let analysis = document.analysis.as_ref().expect("checked");
        let Some(found) = completion::completion(analysis, offset) else {
            return null();
        };
        let replace = range(document, found.replace);
        let items: Vec<CompletionItem> = found
            .items
            .into_iter()
            .map(|item| CompletionItem {
                kind: Some(match item.kind {
                    CompletionKind::Keyword => CompletionItemKind::KEYWORD,
                    CompletionKind::Channel => CompletionItemKind::FIELD,
                    CompletionKind::Preset => CompletionItemKind::MODULE,
                    CompletionKind::Detector => CompletionItemKind::FUNCTION,
                    CompletionKind::Attribute => CompletionItemKind::PROPERTY,
                    CompletionKind::LintRule => CompletionItemKind::ENUM_MEMBER,
                    CompletionKind::Value => CompletionItemKind::VALUE,
                }),
                detail: item.detail,
                documentation: item
                    .documentation
                    .map(|doc| Documentation::MarkupContent(markdown(doc))),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    replace,
                    item.label.clone(),
                ))),
                label: item.label,
                ..CompletionItem::default()
            })
            .collect();
        json(items)
    }

    fn definition(&mut self, request: Request) -> Outcome {
        let params: lsp_types::GotoDefinitionParams = extract::<req::GotoDefinition>(request)?;
        let at = params.text_document_position_params;
        let Some((document, offset)) = self.at(&at.text_document.uri, at.position) else {
            return null();
        };
        let analysis = document.analysis.as_ref().expect("checked");
        let Some(target) = definition::definition(analysis, offset) else {
            return null();
        };
        let Some(uri) = self.uri_of(&target.file) else {
            return null();
        };
        let index = LineIndex::new(&target.text);
        json(GotoDefinitionResponse::Scalar(Location::new(
            uri,
            Range::new(
                index.position(&target.text, target.span.start),
                index.position(&target.text, target.span.end),
            ),
        )))
    }

    fn formatting(&mut self, request: Request) -> Outcome {
        let params: lsp_types::DocumentFormattingParams = extract::<req::Formatting>(request)?;
        let Some(document) = self.documents.get(params.text_document.uri.as_str()) else {
            return null();
        };
        match actions::format_edits(&document.name, &document.text) {
            Ok(edits) => json(text_edits(document, &edits)),
            Err(error) => Err((ErrorCode::RequestFailed, error.to_string())),
        }
    }

    fn code_actions(&mut self, request: Request) -> Outcome {
        let params: lsp_types::CodeActionParams = extract::<req::CodeActionRequest>(request)?;
        let uri = params.text_document.uri;
        let Some((document, start)) = self.at(&uri, params.range.start) else {
            return null();
        };
        let end = document
            .index
            .offset(&document.text, params.range.end)
            .max(start);
        let analysis = document.analysis.as_ref().expect("checked");
        let actions: Vec<CodeActionOrCommand> = actions::fixes(analysis, Span::new(start, end))
            .into_iter()
            .map(|fix| {
                let diagnostic = to_lsp_diagnostic(document, &analysis.diagnostics[fix.diagnostic]);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(
                            uri.clone(),
                            text_edits(document, &fix.edits),
                        )])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: fix.preferred.then_some(true),
                    ..CodeAction::default()
                })
            })
            .collect();
        json(actions)
    }

    /// The checked document at `uri` and the byte offset of `position`.
    fn at(&mut self, uri: &Uri, position: Position) -> Option<(&Document, usize)> {
        let document = self.analysis(uri.as_str())?;
        Some((document, document.index.offset(&document.text, position)))
    }

    /// The URI of a file the compiler named: an open document's, else the
    /// file's.
    fn uri_of(&self, name: &str) -> Option<Uri> {
        self.documents
            .values()
            .find(|d| d.name == name)
            .map(|d| d.uri.clone())
            .or_else(|| uri::from_name(name))
    }
}

type Outcome = Result<serde_json::Value, (ErrorCode, String)>;

fn extract<R: lsp_types::request::Request>(
    request: Request,
) -> Result<R::Params, (ErrorCode, String)> {
    request
        .extract::<R::Params>(R::METHOD)
        .map(|(_, params)| params)
        .map_err(|error| {
            (
                ErrorCode::InvalidParams,
                format!("invalid parameters: {error}"),
            )
        })
}

fn json(value: impl serde::Serialize) -> Outcome {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}

fn null() -> Outcome {
    Ok(serde_json::Value::Null)
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    }
}

fn range(document: &Document, span: Span) -> Range {
    Range::new(
        document.index.position(&document.text, span.start),
        document.index.position(&document.text, span.end),
    )
}

fn text_edits(document: &Document, edits: &[Edit]) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|(span, new)| TextEdit::new(range(document, *span), new.clone()))
        .collect()
}

/// A diagnostic of the document's own text, for the client.
fn to_lsp_diagnostic(document: &Document, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let unnecessary = matches!(
        d.code,
        Code::LintUnusedSuppression | Code::LintUnreachableRule | Code::LintDuplicateRule
    );
    let related_information: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|(loc, label)| {
            let location = if loc.source.name() == document.name {
                Location::new(document.uri.clone(), range(document, loc.span))
            } else {
                location(loc)?
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: label.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: range(document, d.loc.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("scrim".into()),
        message,
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        ..lsp_types::Diagnostic::default()
    }
}

/// A diagnostic of another file (an include), as related information.
fn related(d: &Diagnostic) -> Option<DiagnosticRelatedInformation> {
    Some(DiagnosticRelatedInformation {
        location: location(&d.loc)?,
        message: d.message.clone(),
    })
}

/// Where a span of any file the compiler read is, for the client; `None`
/// for a file that is no file (a preset).
fn location(loc: &scrim_syntax::Loc) -> Option<Location> {
    let uri = uri::from_name(loc.source.name())?;
    let text = loc.source.text();
    let index = LineIndex::new(text);
    Some(Location::new(
        uri,
        Range::new(
            index.position(text, loc.span.start),
            index.position(text, loc.span.end),
        ),
    ))
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Advice => DiagnosticSeverity::INFORMATION,
    }
}

fn show_message(typ: lsp_types::MessageType, message: String) -> Message {
    Message::Notification(Notification::new(
        notif::ShowMessage::METHOD.to_string(),
        lsp_types::ShowMessageParams { typ, message },
    ))
}
