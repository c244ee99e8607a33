//! The window's one writer: every edit the user makes goes to the project through a thread of
//! its own, with its own connection, in the order made.
//!
//! The window waits a moment for each edit ([`EDIT_WAIT`]); an edit is usually done by then
//! and the window shows it at once. When another program holds the project's write lock (an
//! import in a terminal, a merge), the window does not wait on it: it shows "saving…", keeps
//! drawing, and shows the edit when it lands. Nothing is dropped: the writer waits as long as
//! it takes, and says so if the project stays locked.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use crate::model::{CharRange, DocStatus, Relation, Span};
use crate::store::{Access, OpOutcome, Project, ReviewStatus, SpanEdit, StoreError};

/// How long the window waits for an edit before it goes on drawing.
pub const EDIT_WAIT: Duration = Duration::from_millis(60);

/// How many times a busy project is tried again before the edit is given up as failed
/// (each try waits up to the store's busy timeout).
const BUSY_TRIES: usize = 12;

/// An edit of the project, as the window asks for it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddSpan {
        document: i64,
        range: CharRange,
        label: String,
    },
    ChangeSpan {
        span: i64,
        edit: SpanEdit,
    },
    DeleteSpan {
        span: i64,
    },
    AddRelation {
        kind: String,
        from: i64,
        to: i64,
    },
    DeleteRelation {
        relation: i64,
    },
    SetStatus {
        document: i64,
        status: DocStatus,
    },
    /// Makes a suggestion the annotator's own span.
    AcceptSuggestion {
        span: i64,
    },
    /// Removes a suggestion and remembers not to propose it again.
    RejectSuggestion {
        span: i64,
    },
    Undo,
    Redo,
    Accept {
        span: i64,
        comment: String,
    },
    Reject {
        span: i64,
        comment: String,
    },
    AcceptAgreed {
        document: i64,
        annotators: Vec<String>,
    },
    SetReviewStatus {
        document: i64,
        status: ReviewStatus,
    },
}

/// What an edit did.
#[derive(Clone, Debug, PartialEq)]
pub enum Edited {
    SpanAdded(Span),
    SpanChanged {
        edit: SpanEdit,
        span: Span,
    },
    SpanDeleted(Span),
    RelationAdded(Relation),
    RelationDeleted(Relation),
    StatusSet {
        document: i64,
        status: DocStatus,
    },
    Undone(Option<OpOutcome>),
    Redone(Option<OpOutcome>),
    /// The gold span the acceptance made or found.
    Accepted(Span),
    Rejected,
    /// The annotator's own span the suggestion became.
    SuggestionAccepted(Span),
    /// The suggestion removed.
    SuggestionRejected(Span),
    AgreedAccepted {
        spans: usize,
        annotators: Vec<String>,
    },
    ReviewStatusSet(ReviewStatus),
}

/// An edit's result, with the edit.
pub type EditResult = (Edit, Result<Edited, StoreError>);

/// The writer thread and the edits sent to it that have not come back yet.
pub struct Writer {
    requests: Option<Sender<Edit>>,
    replies: Receiver<EditResult>,
    pending: VecDeque<Edit>,
    thread: Option<std::thread::JoinHandle<()>>,
    path: PathBuf,
}

impl Writer {
    /// Starts a writer for the project at `path`, editing as `annotator`; `repaint` is asked
    /// for a frame whenever an edit finishes.
    pub fn start(path: &Path, annotator: &str, repaint: Option<egui::Context>) -> Self {
        let (requests, inbox) = mpsc::channel::<Edit>();
        let (outbox, replies) = mpsc::channel::<EditResult>();
        let annotator = annotator.to_owned();
        let thread_path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("stet-writer".into())
            .spawn(move || run(&thread_path, &annotator, &inbox, &outbox, repaint.as_ref()))
            .ok();
        Self {
            requests: Some(requests),
            replies,
            pending: VecDeque::new(),
            thread,
            path: path.to_owned(),
        }
    }

    /// Sends an edit; its result comes back from [`Writer::finished`].
    pub fn submit(&mut self, edit: Edit) {
        let sent = self
            .requests
            .as_ref()
            .is_some_and(|requests| requests.send(edit.clone()).is_ok());
        if sent {
            self.pending.push_back(edit);
        }
    }

    /// Whether edits are on their way.
    pub fn is_saving(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The edits that finished, waiting up to `wait` for those still on their way (none
    /// when `wait` is zero).
    pub fn finished(&mut self, wait: Duration) -> Vec<EditResult> {
        let deadline = Instant::now() + wait;
        let mut done = Vec::new();
        while !self.pending.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let reply = if left.is_zero() {
                self.replies.try_recv().map_err(|err| match err {
                    mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                    mpsc::TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                })
            } else {
                self.replies.recv_timeout(left)
            };
            match reply {
                Ok(result) => {
                    self.pending.pop_front();
                    done.push(result);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    // The writer is gone: every edit still pending failed.
                    for edit in self.pending.drain(..) {
                        let err = StoreError::Open {
                            path: self.path.clone(),
                            source: std::io::Error::other("the writer stopped"),
                        };
                        done.push((edit, Err(err)));
                    }
                }
            }
        }
        done
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has written what it holds.
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The writer thread: opens the project once and applies edits in order.
fn run(
    path: &Path,
    annotator: &str,
    inbox: &Receiver<Edit>,
    outbox: &Sender<EditResult>,
    repaint: Option<&egui::Context>,
) {
    let mut project = Project::open(path, Access::ReadWrite);
    for edit in inbox {
        let result = match &mut project {
            Ok(project) => apply_with_retries(project, annotator, &edit),
            Err(err) => Err(StoreError::Open {
                path: path.to_owned(),
                source: std::io::Error::other(err.to_string()),
            }),
        };
        if outbox.send((edit, result)).is_err() {
            return;
        }
        if let Some(ctx) = repaint {
            ctx.request_repaint();
        }
    }
}

/// Applies an edit, trying again while another program holds the project's write lock.
fn apply_with_retries(
    project: &mut Project,
    annotator: &str,
    edit: &Edit,
) -> Result<Edited, StoreError> {
    let mut tries = 0;
    loop {
        match apply(project, annotator, edit) {
            Err(err) if err.is_busy() && tries < BUSY_TRIES => tries += 1,
            result => return result,
        }
    }
}

/// Applies one edit through the store.
pub fn apply(project: &mut Project, annotator: &str, edit: &Edit) -> Result<Edited, StoreError> {
    Ok(match edit {
        Edit::AddSpan {
            document,
            range,
            label,
        } => Edited::SpanAdded(project.add_span(annotator, *document, *range, label, "")?),
        Edit::ChangeSpan { span, edit } => Edited::SpanChanged {
            edit: edit.clone(),
            span: project.edit_span(annotator, *span, edit)?,
        },
        Edit::DeleteSpan { span } => Edited::SpanDeleted(project.delete_span(annotator, *span)?),
        Edit::AddRelation { kind, from, to } => {
            Edited::RelationAdded(project.add_relation(annotator, kind, *from, *to)?)
        }
        Edit::DeleteRelation { relation } => {
            Edited::RelationDeleted(project.delete_relation(annotator, *relation)?)
        }
        Edit::SetStatus { document, status } => {
            project.set_status(annotator, *document, *status)?;
            Edited::StatusSet {
                document: *document,
                status: *status,
            }
        }
        Edit::Undo => Edited::Undone(project.undo(annotator)?),
        Edit::Redo => Edited::Redone(project.redo(annotator)?),
        Edit::Accept { span, comment } => {
            Edited::Accepted(project.accept_span(annotator, *span, comment)?)
        }
        Edit::AcceptSuggestion { span } => {
            Edited::SuggestionAccepted(project.accept_suggestion(annotator, *span)?)
        }
        Edit::RejectSuggestion { span } => {
            Edited::SuggestionRejected(project.reject_suggestion(annotator, *span)?)
        }
        Edit::Reject { span, comment } => {
            project.reject_span(annotator, *span, comment)?;
            Edited::Rejected
        }
        Edit::AcceptAgreed {
            document,
            annotators,
        } => Edited::AgreedAccepted {
            spans: project.accept_agreed(annotator, *document, annotators)?,
            annotators: annotators.clone(),
        },
        Edit::SetReviewStatus { document, status } => {
            project.set_review_status(annotator, *document, *status)?;
            Edited::ReviewStatusSet(*status)
        }
    })
}
