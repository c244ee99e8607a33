//! Counts for `stet stats` and the app's progress line.

use super::{Project, Result};

/// Counts over a whole project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub documents: usize,
    pub spans: usize,
    /// Spans per label, in the scheme's order (labels with no spans included).
    pub by_label: Vec<(String, usize)>,
    /// Per annotator: name, spans, and documents todo / in progress / done.
    pub by_annotator: Vec<AnnotatorStats>,
}

/// One annotator's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnnotatorStats {
    pub name: String,
    pub spans: usize,
    pub todo: usize,
    pub in_progress: usize,
    pub done: usize,
}

impl Project {
    /// Counts documents and spans per label, annotator and status.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<usize> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize)
        };
        let documents = count("SELECT count(*) FROM documents")?;
        let spans = count("SELECT count(*) FROM spans")?;
        let by_label = self
            .conn
            .prepare(
                "SELECT l.name, count(s.id) FROM labels l LEFT JOIN spans s ON s.label_id = l.id
                 GROUP BY l.id ORDER BY l.position, l.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let by_annotator = self
            .conn
            .prepare(
                "SELECT a.name,
                    (SELECT count(*) FROM spans s WHERE s.annotator_id = a.id),
                    (SELECT count(*) FROM document_status st
                       WHERE st.annotator_id = a.id AND st.status = 'in_progress'),
                    (SELECT count(*) FROM document_status st
                       WHERE st.annotator_id = a.id AND st.status = 'done')
                 FROM annotators a ORDER BY a.name",
            )?
            .query_map([], |r| {
                let in_progress = r.get::<_, i64>(2)? as usize;
                let done = r.get::<_, i64>(3)? as usize;
                Ok(AnnotatorStats {
                    name: r.get(0)?,
                    spans: r.get::<_, i64>(1)? as usize,
                    todo: documents.saturating_sub(in_progress + done),
                    in_progress,
                    done,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Stats {
            documents,
            spans,
            by_label,
            by_annotator,
        })
    }
}
