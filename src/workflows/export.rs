//! Exporting a dataset: the filter checked against the project, the documents read by the
//! store and handed to the format's writer, and the result put in place whole or not at all.
//! The one code path the command line and the app's File ▸ Export both use; the summary lines
//! both show are worded here.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::export::{
    ExportDocument, ExportError, ExportFilter, ExportFormat, ExportHeader, ExportSummary,
    FormatOptions, SplitSpec, labelstudio_config,
};
use crate::store::{GOLD, Project, StoreError};

/// What to export where.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub filter: ExportFilter,
    /// A file for single-file formats, a new or empty folder for folder formats.
    pub out: PathBuf,
    /// Divide documents into parts (one output per part), with the seed that orders them.
    pub split: Option<(SplitSpec, u64)>,
    pub options: FormatOptions,
}

/// What an export wrote.
#[derive(Clone, Debug, Default)]
pub struct ExportOutcome {
    pub format: Option<ExportFormat>,
    /// Each output (a file or folder per split part) with its counts.
    pub written: Vec<(PathBuf, ExportSummary)>,
    /// The counts over every output.
    pub total: ExportSummary,
    /// The Label Studio labeling config, written beside the tasks.
    pub config: Option<PathBuf>,
}

impl ExportOutcome {
    /// The lines both faces show: one per part of a split, notes on what was left out, and
    /// the total with the format's offset unit.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.written.len() > 1 {
            for (place, summary) in &self.written {
                lines.push(format!(
                    "{}: {} and {}",
                    place.display(),
                    super::count(summary.documents, "document"),
                    super::count(summary.spans, "span")
                ));
            }
        }
        let format = self.format.unwrap_or(ExportFormat::Jsonl);
        lines.extend(left_out_notes(format, &self.total));
        lines.push(total_line(format, &self.total));
        lines
    }
}

/// Notes on what a format could not hold.
pub fn left_out_notes(format: ExportFormat, total: &ExportSummary) -> Vec<String> {
    let mut notes = Vec::new();
    if total.left_out > 0 && format == ExportFormat::Spacy {
        notes.push(format!(
            "note: {} left out of doc.ents: entities cannot overlap, so the longest of overlapping spans was kept, and whitespace is no entity; doc.spans holds every span",
            super::count(total.left_out, "span")
        ));
    } else if total.left_out > 0 {
        notes.push(format!(
            "note: {} left out: {}",
            super::count(total.left_out, "span"),
            match format {
                ExportFormat::Conll =>
                    "IOB2 cannot overlap, so the longest of overlapping spans was kept (spans covering only whitespace are left out too)",
                _ => "they cover only whitespace, which this format has no place for",
            }
        ));
    }
    if total.split_words > 0 {
        notes.push(format!(
            "note: {} began or ended inside a word; the word was split into two tokens there",
            super::count(total.split_words, "span")
        ));
    }
    if total.relations_left_out > 0 {
        notes.push(format!(
            "note: {} left out: {} has no place for links between spans",
            super::count(total.relations_left_out, "relation"),
            format.name()
        ));
    }
    if total.skipped_documents > 0 {
        notes.push(format!(
            "note: {} with no words skipped (WebAnno TSV cannot hold an empty document)",
            super::count(total.skipped_documents, "document")
        ));
    }
    notes
}

/// `exported 2 documents and 5 spans as jsonl (offsets: …)`.
pub fn total_line(format: ExportFormat, total: &ExportSummary) -> String {
    let written = if total.relations > 0 {
        format!(
            "{}, {} and {}",
            super::count(total.documents, "document"),
            super::count(total.spans, "span"),
            super::count(total.relations, "relation")
        )
    } else {
        format!(
            "{} and {}",
            super::count(total.documents, "document"),
            super::count(total.spans, "span")
        )
    };
    format!(
        "exported {written} as {} (offsets: {})",
        format.name(),
        format.offset_unit()
    )
}

/// Why an export's filter cannot be used, in the words of the option that set it.
pub fn check_filter(project: &Project, filter: &ExportFilter) -> Result<(), ExportError> {
    let scheme = project.scheme()?;
    for label in &filter.labels {
        if scheme.label(label).is_none() {
            return Err(ExportError::Invalid(format!(
                "--label {label:?}: not in the project's scheme ({})",
                scheme
                    .labels
                    .iter()
                    .map(|l| l.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let known = project.annotators()?;
    for name in &filter.annotators {
        if !known.contains(name) && name != GOLD {
            return Err(ExportError::Invalid(format!(
                "--annotator {name:?}: nobody of that name has worked in the project ({})",
                if known.is_empty() {
                    "no annotators yet".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// The header for `filter`: only the annotators it keeps are named.
fn header_for(
    project: &Project,
    filter: &ExportFilter,
    options: &FormatOptions,
) -> Result<ExportHeader, ExportError> {
    let mut annotators = project.annotators()?;
    if !filter.annotators.is_empty() {
        annotators.retain(|a| filter.annotators.contains(a));
    }
    Ok(ExportHeader {
        scheme: project.scheme()?,
        annotators,
        origin: project.export_origin(filter)?,
        options: options.clone(),
    })
}

/// Writes a single-file format for the documents `filter` keeps to `out` (standard output,
/// a buffer in tests).
pub fn write_to(
    project: &Project,
    format: ExportFormat,
    filter: &ExportFilter,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    write_to_with(project, format, filter, &FormatOptions::default(), out)
}

/// [`write_to`] with the format's options.
pub fn write_to_with(
    project: &Project,
    format: ExportFormat,
    filter: &ExportFilter,
    options: &FormatOptions,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let header = header_for(project, filter, options)?;
    let trap = ErrorTrap::default();
    let mut seen = 0;
    let mut docs = trap
        .wrap(project.export_documents(filter))
        .inspect(|doc| seen += doc.relations.len());
    let mut summary = format.write_file(&header, &mut docs, out)?;
    drop(docs);
    trap.check()?;
    summary.relations_seen(seen);
    Ok(summary)
}

/// Writes a folder format for the documents `filter` keeps into the existing folder `dir`.
/// The documents are formatted on another thread while this one reads the next ones.
pub fn write_into(
    project: &Project,
    format: ExportFormat,
    filter: &ExportFilter,
    dir: &Path,
) -> Result<ExportSummary, ExportError> {
    let header = header_for(project, filter, &FormatOptions::default())?;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<ExportDocument>(16);
        let header = &header;
        let worker = scope.spawn(move || format.write_folder(header, &mut rx.into_iter(), dir));
        let mut read = Ok(());
        let mut seen = 0;
        for doc in project.export_documents(filter) {
            match doc {
                Ok(doc) => {
                    seen += doc.relations.len();
                    if tx.send(doc).is_err() {
                        // The writer stopped: its error says why.
                        break;
                    }
                }
                Err(err) => {
                    read = Err(err);
                    break;
                }
            }
        }
        drop(tx);
        let written = match worker.join() {
            Ok(result) => result,
            Err(_) => Err(ExportError::Invalid("the export failed".into())),
        };
        read?;
        let mut summary = written?;
        summary.relations_seen(seen);
        Ok(summary)
    })
}

/// Writes the export: files go to temporary files renamed into place once every part is
/// complete; folders are built beside `out` and renamed into place.
pub fn export_to_path(
    project: &Project,
    request: &ExportRequest,
) -> Result<ExportOutcome, ExportError> {
    check_filter(project, &request.filter)?;
    let parts = split_parts(project, request)?;
    let format = request.format;
    let out = &request.out;
    let mut outcome = ExportOutcome {
        format: Some(format),
        ..ExportOutcome::default()
    };
    if format.is_folder() {
        outcome.written = write_folder_atomically(out, |dir| {
            let mut done = Vec::new();
            for (name, filter) in &parts {
                let target = match name {
                    Some(name) => {
                        let sub = dir.join(name);
                        std::fs::create_dir(&sub)?;
                        sub
                    }
                    None => dir.to_owned(),
                };
                let summary = write_into(project, format, filter, &target)?;
                let shown = name.as_ref().map_or_else(|| out.clone(), |n| out.join(n));
                done.push((shown, summary));
            }
            Ok(done)
        })
        .map_err(|err| at(out, err))?;
    } else {
        let mut pending = Vec::new();
        for (name, filter) in &parts {
            let path = name
                .as_ref()
                .map_or_else(|| out.clone(), |n| part_path(out, n));
            let (temp, summary) = write_temp(&path, |w| {
                write_to_with(project, format, filter, &request.options, w)
            })?;
            pending.push((path, temp, Some(summary)));
        }
        if format == ExportFormat::LabelStudio {
            let path = labelstudio_config_path(out);
            let xml = labelstudio_config(&project.scheme()?);
            let (temp, _) = write_temp(&path, |w| {
                w.write_all(xml.as_bytes())?;
                Ok(ExportSummary::default())
            })?;
            outcome.config = Some(path.clone());
            pending.push((path, temp, None));
        }
        for (path, temp, summary) in pending {
            let file = temp
                .persist(&path)
                .map_err(|err| at(&path, ExportError::Io(err.error)))?;
            drop(file);
            if let Some(summary) = summary {
                outcome.written.push((path, summary));
            }
        }
    }
    for (_, summary) in &outcome.written {
        outcome.total.add(summary);
    }
    Ok(outcome)
}

/// The filter of each output: the whole export, or one per split part.
fn split_parts(
    project: &Project,
    request: &ExportRequest,
) -> Result<Vec<(Option<String>, ExportFilter)>, ExportError> {
    let Some((spec, seed)) = &request.split else {
        return Ok(vec![(None, request.filter.clone())]);
    };
    let uids = project.export_document_uids(&request.filter)?;
    Ok(spec
        .cut(&uids, *seed)
        .into_iter()
        .map(|part| {
            let mut filter = request.filter.clone();
            filter.documents = Some(part.documents);
            (Some(part.name), filter)
        })
        .collect())
}

/// `OUT` with the part name before the extension: `data.jsonl` → `data.train.jsonl`.
pub fn part_path(out: &Path, part: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match out.extension() {
        Some(ext) => format!("{stem}.{part}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{part}"),
    };
    out.with_file_name(name)
}

/// Where the Label Studio config goes: `tasks.json` → `tasks.config.xml`.
pub fn labelstudio_config_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "labelstudio".into());
    out.with_file_name(format!("{stem}.config.xml"))
}

/// Runs `write` on a temporary file beside `out`, synced to disk, ready to be renamed.
fn write_temp(
    out: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<ExportSummary, ExportError>,
) -> Result<(NamedTempFile, ExportSummary), ExportError> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    clean_stale_parts(out);
    let mut temp = with_part_builder(out, false, |b| b.tempfile_in(&dir))
        .map_err(|err| at(out, err.into()))?;
    let summary = {
        let mut writer = std::io::BufWriter::new(temp.as_file_mut());
        let summary = write(&mut writer).map_err(|err| at(out, err))?;
        writer.flush().map_err(|err| at(out, err.into()))?;
        summary
    };
    temp.as_file()
        .sync_all()
        .map_err(|err| at(out, err.into()))?;
    Ok((temp, summary))
}

/// Builds a folder export in a temporary folder beside `out` and renames it into place only
/// once `build` has succeeded, so `out` never holds half an export.
///
/// `out` must not exist or be an empty folder: a folder with files in it is never replaced.
pub fn write_folder_atomically<T>(
    out: &Path,
    build: impl FnOnce(&Path) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    if out.exists() {
        let empty_dir = out.is_dir() && std::fs::read_dir(out)?.next().is_none();
        if !empty_dir {
            return Err(ExportError::Invalid(
                "already exists and is not an empty folder; choose a new folder or remove it"
                    .into(),
            ));
        }
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    clean_stale_parts(out);
    let temp = with_part_builder(out, true, |b| b.tempdir_in(&parent))?;
    let result = build(temp.path())?;
    if out.exists() {
        std::fs::remove_dir(out)?;
    }
    let kept = temp.keep();
    if let Err(err) = std::fs::rename(&kept, out) {
        // The folder stays complete under its temporary name only if removing it fails too.
        let _ = std::fs::remove_dir_all(&kept);
        return Err(err.into());
    }
    Ok(result)
}

/// The suffix of a file or folder an export is being written to.
const PART_SUFFIX: &str = ".stet-part";

/// How an export's temporary file or folder is made: named after the output and this
/// process (`data.jsonl.1234.XXXX.stet-part`, where a user sees it if an export is ever cut
/// off), with the permissions a plain file or folder gets (the umask applies).
fn with_part_builder<T>(
    out: &Path,
    folder: bool,
    make: impl FnOnce(&tempfile::Builder<'_, '_>) -> T,
) -> T {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let prefix = format!("{name}.{}.", std::process::id());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(PART_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if folder { 0o777 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = folder;
    make(&builder)
}

/// Removes what an earlier export to `out` left behind when it was cut off: temporary
/// files and folders of processes that no longer run (or, where that cannot be told, that
/// are a day old).
fn clean_stale_parts(out: &Path) {
    let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let prefix = format!("{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(PART_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || !is_stale(pid, &entry) {
            continue;
        }
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if let Err(err) = removed {
            tracing::warn!(
                "{}: cannot remove an old partial export: {err}",
                path.display()
            );
        }
    }
}

/// Whether the process that made a partial export is gone.
fn is_stale(pid: u32, entry: &std::fs::DirEntry) -> bool {
    if cfg!(target_os = "linux") {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|at| at.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
}

/// Names the path in an error.
fn at(path: &Path, err: ExportError) -> ExportError {
    ExportError::Invalid(format!("{}: {err}", path.display()))
}

/// Ends a stream of documents at the first read error and keeps that error, so that a
/// writer sees plain documents and the export still fails when the project did.
#[derive(Default)]
struct ErrorTrap {
    error: std::cell::RefCell<Option<StoreError>>,
}

impl ErrorTrap {
    fn wrap<'t>(
        &'t self,
        docs: impl Iterator<Item = Result<ExportDocument, StoreError>> + 't,
    ) -> impl Iterator<Item = ExportDocument> + 't {
        docs.map_while(|doc| match doc {
            Ok(doc) => Some(doc),
            Err(err) => {
                *self.error.borrow_mut() = Some(err);
                None
            }
        })
    }

    fn check(self) -> Result<(), ExportError> {
        match self.error.into_inner() {
            Some(err) => Err(err.into()),
            None => Ok(()),
        }
    }
}
