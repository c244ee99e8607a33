//! Pre-annotation: runs the recognisers over the project's documents and stores what they
//! propose as suggestions (origin `suggested`, in the layer of [`SUGGESTER`]), with
//! `said_by` links from quotes to their speakers. Running it again adds nothing new, and a
//! rejected suggestion is never proposed again for its document (the store keeps both
//! promises).
//!
//! Suggestions belong to the fixed annotator `stet`, not to whoever runs the command: they
//! are nobody's tags until accepted, so agreement, gold and merges never count them as
//! anyone's, and two analysts' projects suggest alike.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{CharIndex, Origin};
use crate::store::{Project, SUGGESTER, StoreError, SuggestedLink, SuggestedSpan};
use crate::suggest::{Recogniser, propose, propose_occurrences};

/// What to suggest, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestRequest {
    /// The recognisers to run.
    pub recognisers: Vec<Recogniser>,
    /// Only the document with this id (every document when `None`).
    pub document: Option<i64>,
}

impl Default for SuggestRequest {
    fn default() -> Self {
        Self {
            recognisers: Recogniser::ALL.to_vec(),
            document: None,
        }
    }
}

/// What a run added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuggestReport {
    pub documents: usize,
    /// New suggestions per label.
    pub added: BTreeMap<String, usize>,
    pub relations_added: usize,
    pub skipped_rejected: usize,
}

impl SuggestReport {
    /// The report in words, one line per label, then a total.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .added
            .iter()
            .map(|(label, n)| format!("{label:<10} {n:>6}"))
            .collect();
        let total: usize = self.added.values().sum();
        lines.push(format!(
            "suggested {} and {} in {}{}",
            super::count(total, "span"),
            super::count(self.relations_added, "link"),
            super::count(self.documents, "document"),
            if self.skipped_rejected > 0 {
                format!(" ({} rejected before, left out)", self.skipped_rejected)
            } else {
                String::new()
            }
        ));
        lines
    }
}

/// Reads a comma-separated list of recogniser names (`figures,quotes`).
pub fn parse_recognisers(list: &str) -> Result<Vec<Recogniser>, String> {
    let mut out = Vec::new();
    for name in list.split(',').filter(|n| !n.trim().is_empty()) {
        let Some(r) = Recogniser::parse(name) else {
            let known: Vec<&str> = Recogniser::ALL.iter().map(|r| r.name()).collect();
            return Err(format!(
                "no recogniser {:?} (known: {})",
                name.trim(),
                known.join(", ")
            ));
        };
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Runs the request over the project, one transaction per document.
pub fn suggest_project(
    project: &mut Project,
    request: &SuggestRequest,
) -> Result<SuggestReport, StoreError> {
    let ids: Vec<i64> = match request.document {
        Some(id) => vec![id],
        None => project.documents()?.into_iter().map(|d| d.id).collect(),
    };
    let occurrences = request.recognisers.contains(&Recogniser::Occurrences);
    let tagged = if occurrences {
        tagged_strings(project)?
    } else {
        Vec::new()
    };
    let mut report = SuggestReport::default();
    for id in ids {
        let doc = project.document(id)?;
        let found = propose(&doc.text, &request.recognisers);
        let mut spans: Vec<SuggestedSpan> = found
            .spans
            .iter()
            .map(|p| SuggestedSpan {
                range: p.range,
                label: p.label.clone(),
            })
            .collect();
        if occurrences {
            let existing: Vec<_> = project
                .spans(id)?
                .into_iter()
                .map(|s| (s.range, s.label))
                .collect();
            for p in propose_occurrences(&doc.text, &tagged, &existing) {
                spans.push(SuggestedSpan {
                    range: p.range,
                    label: p.label,
                });
            }
        }
        let links: Vec<SuggestedLink> = found
            .links
            .iter()
            .map(|l| SuggestedLink {
                kind: l.kind.to_owned(),
                from: l.from,
                to: l.to,
            })
            .collect();
        let outcome = project.add_suggestions(id, &spans, &links)?;
        report.documents += 1;
        for (label, n) in outcome.added {
            *report.added.entry(label).or_default() += n;
        }
        report.relations_added += outcome.relations_added;
        report.skipped_rejected += outcome.skipped_rejected;
    }
    Ok(report)
}

/// Every string someone has tagged (not a suggestion), with its label, once each.
fn tagged_strings(project: &Project) -> Result<Vec<(String, String)>, StoreError> {
    let mut seen = BTreeSet::new();
    for info in project.documents()? {
        let spans = project.spans(info.id)?;
        if spans.iter().all(|s| s.origin == Origin::Suggested) {
            continue;
        }
        let doc = project.document(info.id)?;
        let index = CharIndex::new(&doc.text);
        for span in spans {
            if span.origin == Origin::Suggested || span.annotator == SUGGESTER {
                continue;
            }
            let text = index.slice(&doc.text, span.range).trim().to_owned();
            if text.chars().count() >= 2 {
                seen.insert((text, span.label));
            }
        }
    }
    Ok(seen.into_iter().collect())
}
