//! Exporting to a path, whole or not at all: the one code path the command line and the app's
//! File ▸ Export both use.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{
    ExportError, ExportFilter, ExportFormat, ExportSummary, SplitSpec, assign_split,
    labelstudio_config, write_folder_atomically,
};
use crate::store::Project;

/// What to export where.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub filter: ExportFilter,
    /// A file for single-file formats, a new or empty folder for folder formats.
    pub out: PathBuf,
    /// Divide documents into parts (one output per part), with the seed that orders them.
    pub split: Option<(SplitSpec, u64)>,
}

/// What an export wrote.
#[derive(Clone, Debug, Default)]
pub struct ExportOutcome {
    /// Each output (a file or folder per split part) with its counts.
    pub written: Vec<(PathBuf, ExportSummary)>,
    /// The counts over every output.
    pub total: ExportSummary,
    /// The Label Studio labeling config, written beside the tasks.
    pub config: Option<PathBuf>,
}

/// Writes the export: files go to temporary files renamed into place once every part is
/// complete; folders are built beside `out` and renamed into place.
pub fn export_to_path(
    project: &Project,
    request: &ExportRequest,
) -> Result<ExportOutcome, ExportError> {
    let parts = split_parts(project, request)?;
    let format = request.format;
    let out = &request.out;
    let mut outcome = ExportOutcome::default();
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
                let summary = format.write_folder(project, filter, &target)?;
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
            let (temp, summary) = write_temp(&path, |w| format.write_file(project, filter, w))?;
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
            temp.persist(&path)
                .map_err(|err| at(&path, ExportError::Io(err.error)))?;
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
    Ok(assign_split(project, &request.filter, spec, *seed)?
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
    let mut temp = NamedTempFile::new_in(&dir).map_err(|err| at(out, err.into()))?;
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

/// Names the path in an error.
fn at(path: &Path, err: ExportError) -> ExportError {
    ExportError::Invalid(format!("{}: {err}", path.display()))
}
