//! The agreement report: every metric, overall, per label and per document, for a project or
//! for documents already in memory.
//!
//! What is compared:
//!
//! * Annotators: those named in [`AgreementOptions::annotators`], else every annotator with at
//!   least one span (suggestions not counted, see below), sorted by name. Fewer than two leave
//!   every metric undefined.
//! * Labels: those named in [`AgreementOptions::labels`], else the scheme's labels. Spans of
//!   other labels are ignored everywhere.
//! * Spans: suggestions not yet confirmed (`Origin::Suggested`) are left out unless
//!   [`AgreementOptions::include_suggested`] is set.
//! * Documents: those every compared annotator has worked on (has a span on it, of any label,
//!   or has marked it in progress or done), unless [`AgreementOptions::all_documents`] is set;
//!   a document one annotator never opened says nothing about agreement. The number left out
//!   is [`AgreementReport::documents_skipped`].
//!
//! The metrics (see each module for details):
//!
//! * Span precision, recall and F1, exact and overlap ([`super::span_match`]), for each pair of
//!   annotators. Precision counts matches against the second annotator's spans and recall
//!   against the first's, in the order of [`AgreementReport::annotators`]. With three or more
//!   annotators each value is the mean over the pairs for which it is defined (the counts are
//!   summed over pairs). Overall values are micro-averaged: matches and spans are summed over
//!   labels (and documents) before dividing.
//! * Cohen's κ (two annotators) and Fleiss' κ (three or more) over word tokens
//!   ([`super::kappa`]): overall, each token's category is "O" or the label of the longest span
//!   touching it; per label, each token is "in the label" (a span of that label touches it) or
//!   not.
//! * Krippendorff's α_u ([`super::alpha_u`]) on character positions, per label and over all
//!   labels, with the documents laid end to end as one continuum.
//!
//! No value is ever NaN: where a metric is `0 / 0` (nothing tagged, one annotator, every token
//! alike) it is `None`, and [`Scores::undefined`] says why.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::mpsc;

use serde::Serialize;

use super::Reason;
use super::alpha_u::{AlphaTally, alpha_over, normalise_units};
use super::kappa::{Confusion, Fleiss, token_categories, token_coverage, tokens};
use super::links::{AnnotatorLinks, AttributeScores, LinkTally, RelationScores, SpanKey};
use super::span_match::{PairCounts, prf};
use crate::model::{CharRange, DocStatus, Origin, char_len};
use crate::store::{Project, StoreError};

/// What to compare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgreementOptions {
    /// Annotators to compare, in this order; empty means every annotator with spans.
    pub annotators: Vec<String>,
    /// Labels to compare; empty means every label.
    pub labels: Vec<String>,
    /// Compare every document, counting one an annotator never worked on as left untagged.
    pub all_documents: bool,
    /// Count unconfirmed suggestions as the annotator's spans.
    pub include_suggested: bool,
}

/// Agreement over a project.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgreementReport {
    /// The annotators compared, in the order pairs and per-annotator counts use.
    pub annotators: Vec<String>,
    /// How many annotator pairs the span scores average over.
    pub pairs: usize,
    /// All compared labels together.
    pub overall: Scores,
    /// Each compared label on its own.
    pub labels: BTreeMap<String, Scores>,
    /// Each compared document, most disagreement first.
    pub documents: Vec<DocumentAgreement>,
    /// Documents left out because not every compared annotator had worked on them.
    pub documents_skipped: usize,
    /// Relations between the compared labels' spans (see [`super::links`]).
    pub relations: RelationScores,
    /// Each `label.attribute`'s values on spans tagged alike.
    pub attributes: BTreeMap<String, AttributeScores>,
}

/// The metrics for one scope (the whole project, one label, or one document).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    pub exact_precision: Option<f64>,
    pub exact_recall: Option<f64>,
    pub exact_f1: Option<f64>,
    pub overlap_precision: Option<f64>,
    pub overlap_recall: Option<f64>,
    pub overlap_f1: Option<f64>,
    /// Two annotators only.
    pub cohen_kappa: Option<f64>,
    /// Three or more annotators only.
    pub fleiss_kappa: Option<f64>,
    pub alpha_u: Option<f64>,
    /// Spans per annotator, in the report's annotator order.
    pub spans: Vec<usize>,
    /// Exact matches, summed over annotator pairs.
    pub exact_matches: usize,
    /// Overlap matches, summed over annotator pairs.
    pub overlap_matches: usize,
    /// Word tokens the κ values count.
    pub tokens: usize,
    /// Characters the α_u continuum spans.
    pub characters: usize,
    /// Why each `None` metric is undefined, by field name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub undefined: BTreeMap<String, String>,
}

/// One document's agreement.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentAgreement {
    pub id: i64,
    pub uid: String,
    pub title: String,
    /// Spans, summed over annotator pairs, without an exact counterpart in the other
    /// annotator's spans; the sort key of the report's document list.
    pub disagreements: usize,
    #[serde(flatten)]
    pub scores: Scores,
}

/// One document's text and spans, ready to compare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentSpans {
    pub id: i64,
    pub uid: String,
    pub title: String,
    pub text: String,
    /// Each annotator's spans, in the report's annotator order, as `(range, label index)`;
    /// label indices at or past the number of labels are ignored.
    pub spans: Vec<Vec<(CharRange, usize)>>,
    /// Each annotator's relations and attribute values (none: nothing to compare).
    pub links: Vec<AnnotatorLinks>,
}

/// Computes the agreement report for a project.
pub fn agreement(
    project: &Project,
    options: &AgreementOptions,
) -> Result<AgreementReport, StoreError> {
    let plan = Plan::new(project, options)?;
    // Reading the project and computing the metrics take about as long as each other, so a
    // second thread computes while this one reads.
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<DocumentSpans>(32);
        let worker = std::thread::Builder::new()
            .name("agreement".into())
            .spawn_scoped(scope, || {
                let mut comparison = plan.comparison();
                for doc in receiver {
                    comparison.add(&doc);
                }
                comparison
            });
        match worker {
            Ok(worker) => {
                let read = plan.read(project, &mut |doc| {
                    // A send fails only if the worker died; joining it below reports that.
                    let _ = sender.send(doc);
                });
                drop(sender);
                let comparison = match worker.join() {
                    Ok(comparison) => comparison,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                Ok(comparison.finish(read?))
            }
            Err(_) => {
                // No second thread to be had: compute on this one.
                let mut comparison = plan.comparison();
                let skipped = plan.read(project, &mut |doc| comparison.add(&doc))?;
                Ok(comparison.finish(skipped))
            }
        }
    })
}

/// What [`agreement`] compares, worked out before reading the documents.
struct Plan {
    annotators: Vec<String>,
    labels: Vec<String>,
    annotator_index: HashMap<String, usize>,
    label_index: HashMap<String, usize>,
    /// Each annotator's document statuses; empty when every document is compared.
    statuses: Vec<HashMap<i64, DocStatus>>,
    all_documents: bool,
    include_suggested: bool,
    /// Labels that declare attributes: only their spans' values are compared.
    attribute_labels: BTreeSet<String>,
    /// Whether the project has relations at all (else none are read).
    has_relations: bool,
}

impl Plan {
    /// Works out the annotators, labels and statuses to compare.
    fn new(project: &Project, options: &AgreementOptions) -> Result<Self, StoreError> {
        let annotators = if options.annotators.is_empty() {
            project.annotators_with_spans(options.include_suggested)?
        } else {
            dedup(&options.annotators)
        };
        // Spans can only carry the scheme's labels (the project refuses others).
        let scheme = project.scheme()?;
        let attribute_labels = scheme
            .labels
            .iter()
            .filter(|l| !l.attributes.is_empty())
            .map(|l| l.name.clone())
            .collect();
        let labels = if options.labels.is_empty() {
            scheme.labels.into_iter().map(|l| l.name).collect()
        } else {
            dedup(&options.labels)
        };
        let mut statuses = Vec::with_capacity(annotators.len());
        if !options.all_documents {
            for name in &annotators {
                statuses.push(project.statuses(name)?);
            }
        }
        Ok(Self {
            annotator_index: index_of(&annotators),
            label_index: index_of(&labels),
            annotators,
            labels,
            statuses,
            all_documents: options.all_documents,
            include_suggested: options.include_suggested,
            attribute_labels,
            has_relations: project.relation_count()? > 0,
        })
    }

    /// An empty comparison for this plan.
    fn comparison(&self) -> Comparison {
        Comparison::new(self.annotators.clone(), self.labels.clone())
    }

    /// Reads every document, hands those to compare to `sink`, and returns how many were
    /// left out.
    fn read(
        &self,
        project: &Project,
        sink: &mut dyn FnMut(DocumentSpans),
    ) -> Result<usize, StoreError> {
        let r = self.annotators.len();
        let mut skipped = 0;
        for info in project.documents()? {
            if r == 0 {
                skipped += 1;
                continue;
            }
            let mut worked = vec![self.all_documents; r];
            let mut per_annotator = vec![Vec::new(); r];
            let mut links = vec![AnnotatorLinks::default(); r];
            // Compared spans by id, for the relations' ends.
            let mut compared: HashMap<i64, (usize, SpanKey)> = HashMap::new();
            for span in project.spans(info.id)? {
                let Some(&a) = self.annotator_index.get(&span.annotator) else {
                    continue;
                };
                worked[a] = true;
                if span.origin == Origin::Suggested && !self.include_suggested {
                    continue;
                }
                if let Some(&l) = self.label_index.get(&span.label) {
                    per_annotator[a].push((span.range, l));
                    if self.attribute_labels.contains(&span.label) {
                        links[a]
                            .attributes
                            .push(((span.range, span.label.clone()), span.attributes));
                    }
                    if self.has_relations {
                        compared.insert(span.id, (a, (span.range, span.label)));
                    }
                }
            }
            for (a, status) in self.statuses.iter().enumerate() {
                if matches!(
                    status.get(&info.id),
                    Some(DocStatus::InProgress | DocStatus::Done)
                ) {
                    worked[a] = true;
                }
            }
            if !worked.iter().all(|&w| w) {
                skipped += 1;
                continue;
            }
            let relations = if self.has_relations {
                project.relations(info.id)?
            } else {
                Vec::new()
            };
            for relation in relations {
                if let (Some((a, from)), Some((_, to))) =
                    (compared.get(&relation.from), compared.get(&relation.to))
                {
                    links[*a]
                        .relations
                        .push((relation.kind, from.clone(), to.clone()));
                }
            }
            sink(DocumentSpans {
                id: info.id,
                uid: info.uid,
                title: info.title,
                text: project.document(info.id)?.text,
                spans: per_annotator,
                links,
            });
        }
        Ok(skipped)
    }
}

/// Each name's position in `names`.
fn index_of(names: &[String]) -> HashMap<String, usize> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect()
}

/// Computes the agreement report for documents already in memory.
pub fn agreement_of(
    annotators: &[String],
    labels: &[String],
    documents: &[DocumentSpans],
) -> AgreementReport {
    let mut comparison = Comparison::new(annotators.to_vec(), labels.to_vec());
    for doc in documents {
        comparison.add(doc);
    }
    comparison.finish(0)
}

/// The names in order, each once.
fn dedup(names: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    names
        .iter()
        .filter(|n| seen.insert(n.as_str()))
        .cloned()
        .collect()
}

/// The additive counts behind one scope's scores.
#[derive(Clone, Debug)]
struct Tally {
    spans: Vec<usize>,
    pairs: Vec<PairCounts>,
    cohen: Confusion,
    fleiss: Fleiss,
    tokens: usize,
    characters: usize,
}

impl Tally {
    /// Empty counts for `raters` annotators, `pairs` pairs and `categories` token categories.
    fn new(raters: usize, pairs: usize, categories: usize) -> Self {
        Self {
            spans: vec![0; raters],
            pairs: vec![PairCounts::default(); pairs],
            cohen: Confusion::new(categories),
            fleiss: Fleiss::new(raters),
            tokens: 0,
            characters: 0,
        }
    }

    /// Adds another scope's counts (another document).
    fn absorb(&mut self, other: &Self) {
        for (mine, theirs) in self.spans.iter_mut().zip(&other.spans) {
            *mine += theirs;
        }
        for (mine, theirs) in self.pairs.iter_mut().zip(&other.pairs) {
            mine.add(theirs);
        }
        self.cohen.absorb(&other.cohen);
        self.fleiss.absorb(&other.fleiss);
        self.tokens += other.tokens;
        self.characters += other.characters;
    }

    /// Counts the tokens' categories, one sequence per annotator.
    fn add_tokens(&mut self, categories: &[Vec<usize>], scratch: &mut Vec<usize>) {
        let count = categories.first().map_or(0, Vec::len);
        self.tokens += count;
        match categories {
            [] | [_] => {}
            [a, b] => self.cohen.add_all(a, b),
            _ => {
                for t in 0..count {
                    scratch.clear();
                    scratch.extend(categories.iter().map(|c| c.get(t).copied().unwrap_or(0)));
                    // Each sequence has one entry per token, so the item always fits.
                    let _ = self.fleiss.add_item(scratch);
                }
            }
        }
    }

    /// The scores these counts give, with the scope's α_u worked out by the caller.
    fn scores(&self, alpha: Result<f64, Reason>) -> Scores {
        let raters = self.spans.len();
        let mut undefined = BTreeMap::new();
        let mut keep = |name: &str, value: Result<f64, Reason>| match value {
            Ok(v) => Some(v),
            Err(why) => {
                undefined.insert(name.to_owned(), why.to_owned());
                None
            }
        };
        let too_few = Err("agreement needs at least two annotators");
        let mean = |pick: &dyn Fn(&PairCounts) -> Result<f64, Reason>| {
            if raters < 2 {
                return too_few;
            }
            let mut first_error = "no annotator pair to compare";
            let values: Vec<f64> = self
                .pairs
                .iter()
                .filter_map(|p| {
                    pick(p)
                        .map_err(|e| {
                            first_error = e;
                        })
                        .ok()
                })
                .collect();
            if values.is_empty() {
                Err(first_error)
            } else {
                Ok(values.iter().sum::<f64>() / values.len() as f64)
            }
        };
        let exact = |p: &PairCounts| prf(p.exact, p.first, p.second);
        let overlap = |p: &PairCounts| prf(p.overlap, p.first, p.second);
        let cohen = match raters {
            0 | 1 => too_few,
            2 => self.cohen.kappa(),
            _ => Err("Cohen's kappa compares exactly two annotators; see fleiss_kappa"),
        };
        let fleiss = match raters {
            0 | 1 => too_few,
            2 => Err("Fleiss' kappa is given for three or more annotators; see cohen_kappa"),
            _ => self.fleiss.kappa(),
        };
        Scores {
            exact_precision: keep("exact_precision", mean(&|p| exact(p).precision)),
            exact_recall: keep("exact_recall", mean(&|p| exact(p).recall)),
            exact_f1: keep("exact_f1", mean(&|p| exact(p).f1)),
            overlap_precision: keep("overlap_precision", mean(&|p| overlap(p).precision)),
            overlap_recall: keep("overlap_recall", mean(&|p| overlap(p).recall)),
            overlap_f1: keep("overlap_f1", mean(&|p| overlap(p).f1)),
            cohen_kappa: keep("cohen_kappa", cohen),
            fleiss_kappa: keep("fleiss_kappa", fleiss),
            alpha_u: keep("alpha_u", if raters < 2 { too_few } else { alpha }),
            spans: self.spans.clone(),
            exact_matches: self.pairs.iter().map(|p| p.exact).sum(),
            overlap_matches: self.pairs.iter().map(|p| p.overlap).sum(),
            tokens: self.tokens,
            characters: self.characters,
            undefined,
        }
    }

    /// Spans without an exact counterpart, summed over annotator pairs.
    fn disagreements(&self) -> usize {
        self.pairs.iter().map(PairCounts::exact_misses).sum()
    }
}

/// Everything counted for one scope: all labels together, each label, and each label's α_u.
#[derive(Clone, Debug)]
struct ScopeTally {
    overall: Tally,
    labels: Vec<Tally>,
    alpha: Vec<AlphaTally>,
}

impl ScopeTally {
    /// Empty counts for `raters` annotators, `pairs` pairs and `labels` labels.
    fn new(raters: usize, pairs: usize, labels: usize) -> Self {
        Self {
            overall: Tally::new(raters, pairs, labels + 1),
            labels: vec![Tally::new(raters, pairs, 2); labels],
            alpha: vec![AlphaTally::new(raters); labels],
        }
    }

    /// Adds another scope's counts (another document).
    fn absorb(&mut self, other: &Self) {
        self.overall.absorb(&other.overall);
        for (mine, theirs) in self.labels.iter_mut().zip(&other.labels) {
            mine.absorb(theirs);
        }
        for (mine, theirs) in self.alpha.iter_mut().zip(&other.alpha) {
            mine.absorb(theirs);
        }
    }
}

/// An agreement report being built one document at a time.
struct Comparison {
    annotators: Vec<String>,
    labels: Vec<String>,
    /// The annotator pairs `(i, j)` with `i < j`.
    pairs: Vec<(usize, usize)>,
    total: ScopeTally,
    links: LinkTally,
    documents: Vec<DocumentAgreement>,
}

impl Comparison {
    /// An empty comparison of these annotators on these labels.
    fn new(annotators: Vec<String>, labels: Vec<String>) -> Self {
        let r = annotators.len();
        let pairs: Vec<(usize, usize)> = (0..r)
            .flat_map(|i| (i + 1..r).map(move |j| (i, j)))
            .collect();
        let total = ScopeTally::new(r, pairs.len(), labels.len());
        Self {
            annotators,
            labels,
            pairs,
            total,
            links: LinkTally::new(r),
            documents: Vec::new(),
        }
    }

    /// Compares one document and adds it to the totals.
    fn add(&mut self, doc: &DocumentSpans) {
        let r = self.annotators.len();
        let n_labels = self.labels.len();
        let length = char_len(&doc.text);
        self.links.add(&doc.links);
        let empty = Vec::new();
        // by_label[a][l]: annotator a's ranges of label l.
        let mut by_label = vec![vec![Vec::new(); n_labels]; r];
        let mut kept: Vec<Vec<(CharRange, usize)>> = vec![Vec::new(); r];
        for a in 0..r {
            for &(range, label) in doc.spans.get(a).unwrap_or(&empty) {
                if let Some(list) = by_label[a].get_mut(label) {
                    list.push(range);
                    kept[a].push((range, label));
                }
            }
        }
        let mut scope = ScopeTally::new(r, self.pairs.len(), n_labels);
        scope.overall.characters = length;
        for (a, own) in by_label.iter().enumerate() {
            for (l, ranges) in own.iter().enumerate() {
                scope.labels[l].spans[a] = ranges.len();
                scope.overall.spans[a] += ranges.len();
            }
        }
        for (p, &(i, j)) in self.pairs.iter().enumerate() {
            for (l, (first, second)) in by_label[i].iter().zip(&by_label[j]).enumerate() {
                let counts = PairCounts::of(first, second);
                scope.labels[l].pairs[p] = counts;
                scope.overall.pairs[p].add(&counts);
            }
        }
        let toks = tokens(&doc.text);
        let mut scratch = Vec::with_capacity(r);
        let categories: Vec<Vec<usize>> = kept.iter().map(|k| token_categories(&toks, k)).collect();
        scope.overall.add_tokens(&categories, &mut scratch);
        for l in 0..n_labels {
            let merged: Vec<Vec<CharRange>> = by_label
                .iter()
                .map(|own| normalise_units(&own[l], length))
                .collect();
            scope.alpha[l].add_continuum(length, &merged);
            let covered: Vec<Vec<usize>> = merged
                .iter()
                .map(|m| {
                    token_coverage(&toks, m)
                        .into_iter()
                        .map(usize::from)
                        .collect()
                })
                .collect();
            let tally = &mut scope.labels[l];
            tally.characters = length;
            tally.add_tokens(&covered, &mut scratch);
        }
        let disagreements = scope.overall.disagreements();
        let scores = scope.overall.scores(alpha_over(&scope.alpha));
        self.total.absorb(&scope);
        self.documents.push(DocumentAgreement {
            id: doc.id,
            uid: doc.uid.clone(),
            title: doc.title.clone(),
            disagreements,
            scores,
        });
    }

    /// The report, with documents sorted by disagreement (most first, then by id).
    fn finish(mut self, skipped: usize) -> AgreementReport {
        self.documents
            .sort_by(|a, b| b.disagreements.cmp(&a.disagreements).then(a.id.cmp(&b.id)));
        let overall = self.total.overall.scores(alpha_over(&self.total.alpha));
        let labels = self
            .labels
            .iter()
            .zip(self.total.labels.iter().zip(&self.total.alpha))
            .map(|(name, (tally, alpha))| (name.clone(), tally.scores(alpha.alpha())))
            .collect();
        let (relations, attributes) = self.links.finish();
        AgreementReport {
            annotators: self.annotators,
            pairs: self.pairs.len(),
            overall,
            labels,
            documents: self.documents,
            documents_skipped: skipped,
            relations,
            attributes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> CharRange {
        CharRange::new(start, end)
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn doc(text: &str, spans: Vec<Vec<(CharRange, usize)>>) -> DocumentSpans {
        DocumentSpans {
            id: 1,
            uid: "u".into(),
            title: "t".into(),
            text: text.into(),
            spans,
            links: Vec::new(),
        }
    }

    const TEXT: &str = "Peskov said the talks failed. Psaki denied it on Friday.";

    #[test]
    fn identical_annotations_agree_fully() {
        let spans = vec![(r(0, 28), 0), (r(30, 43), 1)];
        let report = agreement_of(
            &names(&["ana", "ben"]),
            &names(&["claim", "denial"]),
            &[doc(TEXT, vec![spans.clone(), spans])],
        );
        let o = &report.overall;
        assert_eq!(o.exact_f1, Some(1.0));
        assert_eq!(o.overlap_f1, Some(1.0));
        assert_eq!(o.cohen_kappa, Some(1.0));
        assert_eq!(o.alpha_u, Some(1.0));
        assert_eq!(o.fleiss_kappa, None);
        assert!(o.undefined.contains_key("fleiss_kappa"));
        assert_eq!(report.labels["claim"].alpha_u, Some(1.0));
        assert_eq!(report.documents[0].disagreements, 0);
    }

    #[test]
    fn single_annotator_leaves_everything_undefined() {
        let report = agreement_of(
            &names(&["ana"]),
            &names(&["claim"]),
            &[doc(TEXT, vec![vec![(r(0, 6), 0)]])],
        );
        let o = &report.overall;
        assert_eq!(report.pairs, 0);
        assert_eq!(o.exact_f1, None);
        assert_eq!(o.cohen_kappa, None);
        assert_eq!(o.alpha_u, None);
        assert_eq!(o.spans, vec![1]);
        assert!(o.undefined["alpha_u"].contains("two annotators"));
    }

    #[test]
    fn nothing_tagged_is_undefined_not_nan() {
        let report = agreement_of(
            &names(&["ana", "ben", "cy"]),
            &names(&["claim"]),
            &[doc(TEXT, vec![vec![], vec![], vec![]]), doc("", vec![])],
        );
        let o = &report.overall;
        for value in [o.exact_f1, o.overlap_f1, o.fleiss_kappa, o.alpha_u] {
            assert_eq!(value, None);
        }
        assert_eq!(o.undefined.len(), 9);
        let empty = agreement_of(&names(&["ana", "ben"]), &names(&["claim"]), &[]);
        assert_eq!(empty.overall.cohen_kappa, None);
        assert_eq!(empty.overall.alpha_u, None);
    }

    #[test]
    fn documents_sort_by_disagreement() {
        let mut calm = doc(TEXT, vec![vec![(r(0, 6), 0)], vec![(r(0, 6), 0)]]);
        calm.id = 1;
        let mut stormy = doc(
            TEXT,
            vec![vec![(r(0, 6), 0)], vec![(r(0, 7), 0), (r(30, 35), 0)]],
        );
        stormy.id = 2;
        let report = agreement_of(&names(&["ana", "ben"]), &names(&["claim"]), &[calm, stormy]);
        let order: Vec<i64> = report.documents.iter().map(|d| d.id).collect();
        assert_eq!(order, vec![2, 1]);
        assert_eq!(report.documents[0].disagreements, 3);
    }

    #[test]
    fn out_of_range_labels_and_spans_do_not_panic() {
        let report = agreement_of(
            &names(&["ana", "ben"]),
            &names(&["claim"]),
            &[doc(
                "short",
                vec![vec![(r(0, 500), 0), (r(2, 3), 7)], vec![(r(3, 1), 0)]],
            )],
        );
        assert_eq!(report.overall.spans, vec![1, 1]);
        assert!(report.overall.alpha_u.is_some());
    }
}
