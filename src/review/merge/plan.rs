//! Making a merge plan: their documents matched by uid, their labels and annotators by name,
//! and every span they have or we last merged from them decided by [`decide`].

use super::decide::{Decision, SpanFacts, TheirLog, decide};
use crate::model::{CharRange, LabelDef, SpanVersion};
use crate::store::merge::{
    Conflict, ConflictKind, DocRef, FastMap, FastSet, LocalSide, LocalSpan, MergePlan, MergeReport,
    MergeSource, NameRef, PlannedSpan, PlannedUpdate, SourceSpan, SpanContent,
};

/// Why no plan could be made; the project is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Their side contradicts itself (a span past the end of its document, say).
    #[error("{0}")]
    Corrupt(String),
    /// An export older than one already merged from the same project.
    #[error("revision {found} is older than the revision {merged} merged before")]
    OlderExport { found: u64, merged: u64 },
}

/// What identifies a span for duplicates: document, range, label and annotator (ids here).
type ContentKey = (i64, usize, usize, i64, i64);

/// Plans merging `source` into `local`.
pub fn plan(local: &LocalSide, source: &MergeSource<'_>) -> Result<MergePlan, PlanError> {
    if let Some(found) = source.export_revision()
        && found < local.export_revision
    {
        return Err(PlanError::OlderExport {
            found,
            merged: local.export_revision,
        });
    }
    let mut planner = Planner::new(local, source);
    planner.match_documents();
    planner.merge_spans()?;
    planner.copy_statuses();
    Ok(planner.plan)
}

/// A planning run.
struct Planner<'a, 's> {
    local: &'a LocalSide,
    source: &'a MergeSource<'s>,
    /// Their document index → the document here and its length.
    doc_map: Vec<(DocRef, usize)>,
    /// Document id here → title, for conflicts.
    titles: FastMap<i64, &'a str>,
    /// Label names here (and those the plan adds) → their reference.
    labels: FastMap<String, NameRef>,
    label_names: FastMap<i64, &'a str>,
    hotkeys: FastSet<String>,
    annotators: FastMap<String, NameRef>,
    annotator_names: FastMap<i64, &'a str>,
    plan: MergePlan,
}

impl<'a, 's> Planner<'a, 's> {
    fn new(local: &'a LocalSide, source: &'a MergeSource<'s>) -> Self {
        let labels = local
            .labels
            .iter()
            .map(|l| (l.name.clone(), NameRef::Here(l.id)))
            .collect();
        let hotkeys = local
            .labels
            .iter()
            .filter_map(|l| l.hotkey.as_ref().map(|k| k.to_lowercase()))
            .collect();
        Self {
            local,
            source,
            doc_map: Vec::with_capacity(source.docs.len()),
            titles: local
                .docs
                .values()
                .map(|d| (d.id, d.title.as_str()))
                .collect(),
            labels,
            label_names: local
                .labels
                .iter()
                .map(|l| (l.id, l.name.as_str()))
                .collect(),
            hotkeys,
            annotators: local
                .annotators
                .iter()
                .map(|(name, id)| (name.clone(), NameRef::Here(*id)))
                .collect(),
            annotator_names: local
                .annotators
                .iter()
                .map(|(name, id)| (*id, name.as_str()))
                .collect(),
            plan: MergePlan {
                report: MergeReport {
                    source: source.path.clone(),
                    source_uid: source.uid.clone(),
                    ..MergeReport::default()
                },
                ..MergePlan::default()
            },
        }
    }

    fn corrupt(&self, message: String) -> PlanError {
        PlanError::Corrupt(message)
    }

    /// Matches their documents to ours by uid; the rest are to be added.
    fn match_documents(&mut self) {
        for (index, doc) in self.source.docs.iter().enumerate() {
            match self.local.docs.get(&doc.uid) {
                Some(here) => {
                    self.doc_map.push((DocRef::Here(here.id), here.len));
                    self.plan.report.documents_matched.push(here.id);
                }
                None => {
                    let added = self.plan.documents_to_add.len();
                    self.plan.documents_to_add.push(index);
                    self.doc_map.push((DocRef::Added(added), doc.len_chars));
                }
            }
        }
    }

    /// The three-way comparison of every span they have or we last merged from them.
    fn merge_spans(&mut self) -> Result<(), PlanError> {
        let base = &self.local.base;
        let their_uids: FastSet<&str> = self.source.spans.iter().map(|s| s.uid.as_str()).collect();
        let mut index = LocalIndex::new(&self.local.spans, &|uid| {
            their_uids.contains(uid) || base.contains_key(uid)
        });
        for (i, t) in self.source.spans.iter().enumerate() {
            let b = base.get(&t.uid).copied();
            self.merge_one(&mut index, &t.uid, b, Some((i, t)))?;
        }
        // An export speaks only for the documents it holds.
        let present: Option<FastSet<i64>> = self.source.is_export().then(|| {
            self.doc_map
                .iter()
                .filter_map(|(doc, _)| match doc {
                    DocRef::Here(id) => Some(*id),
                    DocRef::Added(_) => None,
                })
                .collect()
        });
        let in_scope = |uid: &str| match &present {
            None => true,
            Some(present) => index
                .by_uid
                .get(uid)
                .is_some_and(|&i| present.contains(&index.spans[i].doc)),
        };
        let mut gone: Vec<(&String, SpanVersion)> = base
            .iter()
            .filter(|(uid, _)| !their_uids.contains(uid.as_str()) && in_scope(uid))
            .map(|(uid, v)| (uid, *v))
            .collect();
        gone.sort();
        for (uid, b) in gone {
            self.merge_one(&mut index, uid, Some(b), None)?;
        }
        Ok(())
    }

    /// Decides and plans one span: `uid` with base version `b`, their copy `t` (with its
    /// index).
    fn merge_one(
        &mut self,
        index: &mut LocalIndex<'a>,
        uid: &str,
        b: Option<SpanVersion>,
        t: Option<(usize, &'a SourceSpan)>,
    ) -> Result<(), PlanError> {
        let t = match t {
            Some((i, t)) => Some((i, t, self.check_their_span(t)?)),
            None => None,
        };
        let o = index
            .by_uid
            .get(uid)
            .copied()
            .or_else(|| b.and_then(|b| index.take_version(b)))
            .or_else(|| {
                // A copy of the same tag with another uid (from a JSONL import, say).
                let (_, _, (key, _)) = t?;
                index.take_content(&key?)
            });
        let ours = o.map(|o| index.spans[o]);
        let history = self.source.history();
        let facts = SpanFacts {
            base: b,
            ours: ours.map(|s| s.version),
            theirs: t.map(|(_, t, _)| t.version),
            would_duplicate: match (o, t) {
                (Some(o), Some((_, _, (Some(key), _)))) => index.has_other(&key, o),
                _ => false,
            },
            we_mention: self.local.history.mentions(uid),
            we_had_theirs: t.is_some_and(|(_, t, _)| self.local.history.had(uid, t.version)),
            their_log: history.map(|h| TheirLog {
                mentions: h.mentions(uid),
                had_ours: ours.is_some_and(|s| h.had(uid, s.version)),
            }),
        };
        let report = &mut self.plan.report;
        match decide(&facts) {
            Decision::Unchanged { record_base } => {
                report.spans_unchanged += 1;
                if let (true, Some((_, t, _))) = (record_base, t) {
                    self.plan.bases.push((uid.to_owned(), Some(t.version)));
                }
            }
            Decision::KeepOurs { record_base } => {
                report.spans_kept += 1;
                if let (true, Some((_, t, _))) = (record_base, t) {
                    self.plan.bases.push((uid.to_owned(), Some(t.version)));
                }
            }
            Decision::TakeTheirs => {
                if let (Some(ours), Some((i, t, (_, (doc, _))))) = (ours, t) {
                    let (label, annotator) = self.names_for(t)?;
                    self.plan.updates.push(PlannedUpdate {
                        id: ours.id,
                        span: i,
                        doc,
                        label,
                        annotator,
                    });
                    self.plan.replaced.push((uid.to_owned(), ours.version));
                    self.plan.bases.push((uid.to_owned(), Some(t.version)));
                    self.plan.report.spans_updated += 1;
                }
            }
            Decision::AddTheirs => {
                if let Some((i, t, (_, (doc, _)))) = t {
                    let (label, annotator) = self.names_for(t)?;
                    self.plan.inserts.push(PlannedSpan {
                        span: i,
                        doc,
                        label,
                        annotator,
                    });
                    self.plan.bases.push((uid.to_owned(), Some(t.version)));
                    self.plan.report.spans_added += 1;
                }
            }
            Decision::DeleteOurs => {
                if let Some(ours) = ours {
                    self.plan.deletes.push(ours.id);
                    self.plan.replaced.push((uid.to_owned(), ours.version));
                    self.plan.bases.push((uid.to_owned(), None));
                    self.plan.report.spans_deleted += 1;
                }
            }
            Decision::Forget => self.plan.bases.push((uid.to_owned(), None)),
            Decision::Conflict(kind) => {
                let their_doc = t.map(|(_, _, (_, (doc, _)))| doc);
                self.conflict(kind, uid, ours, t.map(|(_, t, _)| t), their_doc);
            }
        }
        Ok(())
    }

    /// Their span's duplicate key here (if its document, label and annotator all exist
    /// here), and its document here with the document's length; refuses a span that runs
    /// past the end of its document.
    fn check_their_span(
        &self,
        t: &SourceSpan,
    ) -> Result<(Option<ContentKey>, (DocRef, usize)), PlanError> {
        let (doc, len) = self
            .doc_map
            .get(t.doc)
            .copied()
            .ok_or_else(|| self.corrupt(format!("span {} has no document", t.uid)))?;
        if t.range.validate(len).is_err() {
            return Err(self.corrupt(format!(
                "span {} ({} {}) runs past the end of document {:?}",
                t.uid,
                self.source
                    .labels
                    .get(t.label)
                    .map_or("", |l| l.name.as_str()),
                t.range,
                self.source.docs.get(t.doc).map_or("", |d| d.title.as_str())
            )));
        }
        let label = self
            .their_label_name(t)
            .and_then(|name| self.labels.get(name));
        let annotator = self
            .source
            .annotators
            .get(t.annotator)
            .and_then(|name| self.annotators.get(name));
        let key = match (doc, label, annotator) {
            (DocRef::Here(doc), Some(NameRef::Here(label)), Some(NameRef::Here(annotator))) => {
                Some((doc, t.range.start, t.range.end, *label, *annotator))
            }
            _ => None,
        };
        Ok((key, (doc, len)))
    }

    fn their_label_name(&self, t: &SourceSpan) -> Option<&'a str> {
        self.source.labels.get(t.label).map(|l| l.name.as_str())
    }

    /// The label and annotator here for their span, adding whichever is missing.
    fn names_for(&mut self, t: &SourceSpan) -> Result<(NameRef, NameRef), PlanError> {
        let source = self.source;
        let (Some(label), Some(annotator)) = (
            source.labels.get(t.label),
            source.annotators.get(t.annotator),
        ) else {
            return Err(self.corrupt(format!("span {} has no label or annotator", t.uid)));
        };
        Ok((self.label_ref(label), self.annotator_ref(annotator)))
    }

    /// The label here, planning to add it (with their colour and description, and their
    /// hotkey unless a label here has it) if missing.
    fn label_ref(&mut self, def: &LabelDef) -> NameRef {
        if let Some(&found) = self.labels.get(&def.name) {
            return found;
        }
        let hotkey = def
            .hotkey
            .clone()
            .filter(|key| !self.hotkeys.contains(&key.to_lowercase()));
        if let Some(key) = &hotkey {
            self.hotkeys.insert(key.to_lowercase());
        }
        let added = LabelDef {
            name: def.name.clone(),
            color: def.rgb().to_string(),
            hotkey,
            description: def.description.clone(),
            attributes: def.attributes.clone(),
        };
        let reference = NameRef::Added(self.plan.labels_to_add.len());
        self.plan.labels_to_add.push(added.clone());
        self.plan.report.labels_added.push(added);
        self.labels.insert(def.name.clone(), reference);
        reference
    }

    /// The annotator here, planning to add them if new.
    fn annotator_ref(&mut self, name: &str) -> NameRef {
        if let Some(&found) = self.annotators.get(name) {
            return found;
        }
        let reference = NameRef::Added(self.plan.annotators_to_add.len());
        self.plan.annotators_to_add.push(name.to_owned());
        self.annotators.insert(name.to_owned(), reference);
        reference
    }

    /// Records a conflict; nothing is written.
    fn conflict(
        &mut self,
        kind: ConflictKind,
        uid: &str,
        ours: Option<&LocalSpan>,
        theirs: Option<&SourceSpan>,
        their_doc: Option<DocRef>,
    ) {
        let ours_content = ours.map(|span| SpanContent {
            range: span.range,
            label: self
                .label_names
                .get(&span.label)
                .map_or_else(String::new, |n| (*n).to_owned()),
            annotator: self
                .annotator_names
                .get(&span.annotator)
                .map_or_else(String::new, |n| (*n).to_owned()),
            note: span.note.clone(),
        });
        let theirs_content = theirs.map(|t| SpanContent {
            range: t.range,
            label: self.their_label_name(t).unwrap_or_default().to_owned(),
            annotator: self
                .source
                .annotators
                .get(t.annotator)
                .cloned()
                .unwrap_or_default(),
            note: t.note.clone(),
        });
        let (document_id, added) = match (ours, their_doc) {
            (Some(span), _) => (span.doc, None),
            (None, Some(DocRef::Here(id))) => (id, None),
            (None, Some(DocRef::Added(i))) => (0, Some(i)),
            (None, None) => (0, None),
        };
        let document = match (added, theirs) {
            (Some(_), Some(t)) => self.source.docs.get(t.doc).map_or("", |d| d.title.as_str()),
            _ => self.titles.get(&document_id).copied().unwrap_or(""),
        };
        if let Some(added) = added {
            self.plan
                .conflicts_on_added
                .push((self.plan.report.conflicts.len(), added));
        }
        self.plan.report.conflicts.push(Conflict {
            document: document.to_owned(),
            document_id,
            span_uid: uid.to_owned(),
            kind,
            ours: ours_content,
            theirs: theirs_content,
        });
    }

    /// Plans copying their annotators' statuses where this project has none.
    fn copy_statuses(&mut self) {
        let source = self.source;
        for status in &source.statuses {
            let Some(&(doc, _)) = self.doc_map.get(status.doc) else {
                continue;
            };
            let Some(name) = source.annotators.get(status.annotator) else {
                continue;
            };
            let annotator = self.annotator_ref(name);
            self.plan
                .statuses
                .push((doc, annotator, status.status.clone(), status.updated_at));
        }
    }
}

/// This project's spans, looked up by uid, by version and by duplicate key.
struct LocalIndex<'a> {
    spans: Vec<&'a LocalSpan>,
    /// Spans whose uid they have or we merged from them.
    by_uid: FastMap<&'a str, usize>,
    /// The other spans, by duplicate key.
    by_content: FastMap<ContentKey, Vec<usize>>,
    /// The other spans by version, built on first use.
    by_version: Option<FastMap<SpanVersion, Vec<usize>>>,
    /// Spans already matched to one of theirs.
    claimed: Vec<bool>,
}

impl<'a> LocalIndex<'a> {
    /// Indexes `spans`: by uid those whose uid `keyed` names, the others by duplicate key.
    fn new(spans: &'a [LocalSpan], keyed: &dyn Fn(&str) -> bool) -> Self {
        let mut index = Self {
            spans: Vec::with_capacity(spans.len()),
            by_uid: FastMap::default(),
            by_content: FastMap::default(),
            by_version: None,
            claimed: Vec::with_capacity(spans.len()),
        };
        for span in spans {
            let i = index.spans.len();
            if keyed(&span.uid) {
                index.by_uid.insert(span.uid.as_str(), i);
                index.claimed.push(true);
            } else {
                index.by_content.entry(key_of(span)).or_default().push(i);
                index.claimed.push(false);
            }
            index.spans.push(span);
        }
        index
    }

    /// Claims an unmatched span with this version.
    fn take_version(&mut self, version: SpanVersion) -> Option<usize> {
        let by_version = self.by_version.get_or_insert_with(|| {
            let mut map: FastMap<SpanVersion, Vec<usize>> = FastMap::default();
            for (i, span) in self.spans.iter().enumerate() {
                if !self.claimed[i] {
                    map.entry(span.version).or_default().push(i);
                }
            }
            map
        });
        let found = by_version
            .get(&version)?
            .iter()
            .copied()
            .find(|&i| !self.claimed[i])?;
        self.claimed[found] = true;
        Some(found)
    }

    /// Claims an unmatched span with this duplicate key.
    fn take_content(&mut self, key: &ContentKey) -> Option<usize> {
        let found = self
            .by_content
            .get(key)?
            .iter()
            .copied()
            .find(|&i| !self.claimed[i])?;
        self.claimed[found] = true;
        Some(found)
    }

    /// Whether an unmatched span other than `o` has this duplicate key.
    fn has_other(&self, key: &ContentKey, o: usize) -> bool {
        self.by_content
            .get(key)
            .is_some_and(|found| found.iter().any(|&i| i != o && !self.claimed[i]))
    }
}

fn key_of(span: &LocalSpan) -> ContentKey {
    let CharRange { start, end } = span.range;
    (span.doc, start, end, span.label, span.annotator)
}
