//! What `selaras check` reads, one segment at a time: the lines of a `--pairs` file (any tool's
//! `{"id", "source", "target"}`) or the translatable records of `translations/*.jsonl`.
//!
//! Streams: one line buffer is reused for the whole input and a pair borrows its texts from it
//! where the JSON has no escapes, so memory does not grow with the input. The input can be read
//! more than once (the consistency check's first pass); a `--pairs` input that is not a regular
//! file (a pipe) is first copied to a temporary file for that. Must not check or print.

use crate::record::{AlignedSegment, RecordError};
use anyhow::{Context, bail};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One segment to check, borrowing from the line it was read from.
#[derive(Debug, Deserialize)]
pub struct Pair<'a> {
    #[serde(borrow)]
    pub id: Cow<'a, str>,
    #[serde(borrow)]
    pub source: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "borrowed_option")]
    pub target: Option<Cow<'a, str>>,
}

/// An optional text borrowed from the line where it has no escapes: serde borrows a `Cow<str>`
/// field but copies one inside an `Option` (a copy of every target showed in the profile).
fn borrowed_option<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);
    Ok(Option::<Borrowed<'de>>::deserialize(deserializer)?.map(|text| text.0))
}

/// What the consistency check's first pass reads of a record: whether it is translatable and its
/// texts, borrowed where they have no escapes. The other fields (matches, violations, the diff,
/// findings) are skipped unparsed, which is most of a record's bytes.
#[derive(Deserialize)]
struct RecordTexts<'a> {
    translatable: bool,
    #[serde(borrow)]
    source: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "borrowed_option")]
    target: Option<Cow<'a, str>>,
}

/// Where the segments come from.
pub enum Input {
    /// A JSON-lines file of pairs (possibly a temporary copy of a pipe, kept alive here).
    Pairs {
        path: PathBuf,
        shown: PathBuf,
        _spool: Option<tempfile::NamedTempFile>,
    },
    /// Record files, in order.
    Records(Vec<PathBuf>),
}

/// The size of the read buffer: large reads, few system calls.
const READ_BUFFER: usize = 1 << 16;

impl Input {
    /// A `--pairs` file; `rereadable` when it will be read more than once.
    pub fn pairs(path: &Path, rereadable: bool) -> anyhow::Result<Input> {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("{}: cannot open", path.display()))?;
        let spool = if rereadable && !metadata.is_file() {
            let mut spool = tempfile::NamedTempFile::new()
                .context("cannot create a temporary file for the pairs")?;
            let mut file = std::fs::File::open(path)
                .with_context(|| format!("{}: cannot open", path.display()))?;
            std::io::copy(&mut file, spool.as_file_mut())
                .with_context(|| format!("{}: cannot read", path.display()))?;
            Some(spool)
        } else {
            None
        };
        Ok(Input::Pairs {
            path: spool
                .as_ref()
                .map_or_else(|| path.to_path_buf(), |spool| spool.path().to_path_buf()),
            shown: path.to_path_buf(),
            _spool: spool,
        })
    }

    /// The record files of `paths`: `.jsonl` files, and folders of them (not `.previous/`).
    pub fn records(paths: &[PathBuf]) -> anyhow::Result<Input> {
        let mut files = Vec::new();
        for path in paths {
            if path.is_dir() {
                let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                    .with_context(|| format!("{}: cannot list", path.display()))?
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|file| file.extension().is_some_and(|ext| ext == "jsonl"))
                    .collect();
                found.sort();
                if found.is_empty() {
                    bail!(
                        "{}: no translation records (.jsonl); run `selaras translate` first, or name files",
                        path.display()
                    );
                }
                files.extend(found);
            } else if path.exists() {
                files.push(path.clone());
            } else {
                bail!("{}: no such file or directory", path.display());
            }
        }
        Ok(Input::Records(files))
    }

    /// The total size of the input files, in bytes.
    pub fn size(&self) -> anyhow::Result<u64> {
        let files: Vec<&PathBuf> = match self {
            Input::Pairs { path, .. } => vec![path],
            Input::Records(files) => files.iter().collect(),
        };
        files.iter().try_fold(0u64, |total, file| {
            let metadata = std::fs::metadata(file)
                .with_context(|| format!("{}: cannot open", file.display()))?;
            Ok(total + metadata.len())
        })
    }

    /// Calls `each` with every segment, in order (records: the translatable ones only). Stops
    /// at the first unreadable line with an error naming the file and the line.
    pub fn for_each(
        &self,
        mut each: impl FnMut(&Pair<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        match self {
            Input::Pairs { path, shown, .. } => {
                let file = std::fs::File::open(path)
                    .with_context(|| format!("{}: cannot open", shown.display()))?;
                for_each_line(file, shown, |line, line_number| {
                    let pair: Pair<'_> = serde_json::from_str(line).with_context(|| {
                        format!(
                            "{}:{line_number}: expected {{\"id\", \"source\", \"target\"}}",
                            shown.display()
                        )
                    })?;
                    each(&pair)
                })
            }
            Input::Records(files) => {
                for file in files {
                    let reader = std::fs::File::open(file)
                        .with_context(|| format!("{}: cannot open", file.display()))?;
                    for_each_line(reader, file, |line, line_number| {
                        let record = parse_record(line, line_number, file)?;
                        if !record.translatable {
                            return Ok(());
                        }
                        let id = record.id.to_string();
                        each(&Pair {
                            id: Cow::Borrowed(&id),
                            source: Cow::Borrowed(&record.source),
                            target: record.target.as_deref().map(Cow::Borrowed),
                        })
                    })?;
                }
                Ok(())
            }
        }
    }
}

/// Calls `each` with the source and target of every segment [`Input::for_each`] gives, in
/// the same order, reading no more of a record than its texts. A line that view cannot read is
/// read whole, so a malformed record fails with the same error as in [`Input::for_each`]; a
/// record whose texts read but whose other fields are malformed fails there, in the checking
/// pass.
pub fn for_each_text(
    input: &Input,
    mut each: impl FnMut(&str, Option<&str>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Input::Records(files) = input else {
        return input.for_each(|pair| each(&pair.source, pair.target.as_deref()));
    };
    for file in files {
        let reader = std::fs::File::open(file)
            .with_context(|| format!("{}: cannot open", file.display()))?;
        for_each_line(
            reader,
            file,
            |line, line_number| match serde_json::from_str::<RecordTexts<'_>>(line) {
                Ok(record) if record.translatable => each(&record.source, record.target.as_deref()),
                Ok(_) => Ok(()),
                Err(_) => {
                    let record: AlignedSegment = parse_record(line, line_number, file)?;
                    if record.translatable {
                        each(&record.source, record.target.as_deref())
                    } else {
                        Ok(())
                    }
                }
            },
        )?;
    }
    Ok(())
}

/// A whole record, or the error naming its file and line.
fn parse_record(line: &str, line_number: usize, file: &Path) -> anyhow::Result<AlignedSegment> {
    serde_json::from_str(line).map_err(|error| {
        let error = RecordError {
            line_number,
            message: error.to_string(),
        };
        anyhow::anyhow!("{}:{error}", file.display())
    })
}

/// Calls `each` with every non-blank line of `reader` and its number (from 1). A line is
/// borrowed from the read buffer where it lies whole in it, else gathered in one buffer kept
/// for the whole input (a line across the buffer's end, or longer than it).
fn for_each_line(
    reader: impl Read,
    shown: &Path,
    mut each: impl FnMut(&str, usize) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut reader = BufReader::with_capacity(READ_BUFFER, reader);
    let mut gathered: Vec<u8> = Vec::new();
    let mut line_number = 0usize;
    let mut line = |bytes: &[u8], line_number: usize| -> anyhow::Result<()> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                )
            })
            .with_context(|| format!("{}:{line_number}: cannot read", shown.display()))?;
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return Ok(());
        }
        each(text, line_number)
    };
    loop {
        let buffer = reader
            .fill_buf()
            .with_context(|| format!("{}:{}: cannot read", shown.display(), line_number + 1))?;
        if buffer.is_empty() {
            if !gathered.is_empty() {
                line(&gathered, line_number + 1)?;
            }
            return Ok(());
        }
        let length = buffer.len();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', buffer) {
            line_number += 1;
            if gathered.is_empty() {
                line(&buffer[start..=end], line_number)?;
            } else {
                gathered.extend_from_slice(&buffer[start..=end]);
                line(&gathered, line_number)?;
                gathered.clear();
            }
            start = end + 1;
        }
        gathered.extend_from_slice(&buffer[start..]);
        reader.consume(length);
    }
}

/// [`for_each_line`] as it was written, a line at a time into a `String`: what the borrowing
/// reader must agree with.
#[cfg(test)]
fn for_each_line_plain(
    reader: impl Read,
    mut each: impl FnMut(&str, usize) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut reader = BufReader::with_capacity(READ_BUFFER, reader);
    let mut line = String::new();
    let mut line_number = 0usize;
    loop {
        line.clear();
        line_number += 1;
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let text = line.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        each(text, line_number)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_borrows_its_texts_from_the_line_where_they_have_no_escapes() {
        let pair: Pair<'_> =
            serde_json::from_str(r#"{"id":"a","source":"b","target":"Minister"}"#).unwrap();
        assert!(matches!(pair.source, Cow::Borrowed("b")));
        assert!(matches!(pair.target, Some(Cow::Borrowed("Minister"))));
        let pair: Pair<'_> =
            serde_json::from_str(r#"{"id":"a","source":"b","target":"x\"y\u00e9"}"#).unwrap();
        assert!(matches!(pair.target.as_deref(), Some("x\"yé")));
        for line in [
            r#"{"id":"a","source":"b","target":null}"#,
            r#"{"id":"a","source":"b"}"#,
        ] {
            let pair: Pair<'_> = serde_json::from_str(line).unwrap();
            assert!(pair.target.is_none(), "{line}");
        }
        assert!(serde_json::from_str::<Pair<'_>>(r#"{"id":"a","source":"b","target":3}"#).is_err());
    }

    #[test]
    fn lines_borrowed_from_the_read_buffer_are_the_lines_read_one_by_one() {
        let long = "x".repeat(READ_BUFFER + 17);
        let mut inputs = vec![
            String::new(),
            "\n\n".to_string(),
            "a".to_string(),
            "a\n".to_string(),
            "a\r\nb\r\n\n  \nc".to_string(),
            format!("{long}\nshort\n{long}"),
            format!("é\n{long}é\r\n\n"),
        ];
        // lines that straddle the read buffer's end at every offset near it
        for shift in 0..12 {
            let mut text = "y".repeat(READ_BUFFER - 6 + shift);
            text.push_str("\nz“q”\n\r\nlast");
            inputs.push(text);
        }
        let lines = |input: &str, borrowed: bool| {
            let mut seen = Vec::new();
            let collect = |line: &str, number: usize| {
                seen.push((line.to_string(), number));
                Ok(())
            };
            if borrowed {
                for_each_line(input.as_bytes(), Path::new("x"), collect).unwrap();
            } else {
                for_each_line_plain(input.as_bytes(), collect).unwrap();
            }
            seen
        };
        for input in &inputs {
            let plain = lines(input, false);
            assert_eq!(
                lines(input, true),
                plain,
                "{:?}",
                input.chars().take(40).collect::<String>()
            );
        }
        let error =
            for_each_line(&b"ok\n\xff\n"[..], Path::new("pairs.jsonl"), |_, _| Ok(())).unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "pairs.jsonl:2: cannot read: stream did not contain valid UTF-8"
        );
    }

    /// The records' (source, target) as `for_each` gives them, or its error.
    fn texts_whole(input: &Input) -> Result<Vec<(String, Option<String>)>, String> {
        let mut texts = Vec::new();
        input
            .for_each(|pair| {
                texts.push((
                    pair.source.to_string(),
                    pair.target.as_deref().map(str::to_string),
                ));
                Ok(())
            })
            .map_err(|error| format!("{error:#}"))?;
        Ok(texts)
    }

    /// The same from `for_each_text`, which reads only a record's texts.
    fn texts_read(input: &Input) -> Result<Vec<(String, Option<String>)>, String> {
        let mut texts = Vec::new();
        for_each_text(input, |source, target| {
            texts.push((source.to_string(), target.map(str::to_string)));
            Ok(())
        })
        .map_err(|error| format!("{error:#}"))?;
        Ok(texts)
    }

    fn record(fields: &str) -> String {
        format!(
            r#"{{"id":"a:1.{}","kind":"paragraph",{fields},"origin":"memory"}}"#,
            fields.len()
        )
    }

    #[test]
    fn the_texts_read_of_records_are_those_of_the_whole_records() {
        let folder = tempfile::tempdir().unwrap();
        let lines = [
            record(r#""translatable":true,"source":"Menteri","target":"Minister","raw":null"#),
            record(
                r#""translatable":true,"source":"\"Kata\" \u00e9","target":"\"Word\"\n","raw":null"#,
            ),
            record(r#""translatable":false,"source":"Foto: AP","target":null,"raw":null"#),
            record(r#""translatable":true,"source":"Belum","target":null,"raw":null"#),
            // fields in another order, and the fields the view skips
            record(
                r#""raw":"x","target":"Talks","source":"Pembicaraan","translatable":true,"matches":[],"violations":[],"diff":[{"op":"equal","text":"Talks"}]"#,
            ),
        ];
        let path = folder.path().join("a.jsonl");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let input = Input::records(std::slice::from_ref(&path)).unwrap();
        let whole = texts_whole(&input).unwrap();
        assert_eq!(whole.len(), 4, "{whole:?}");
        assert_eq!(texts_read(&input), Ok(whole));

        // a record the view cannot read fails with the whole record's error
        for bad in [
            record(r#""translatable":true,"source":7,"target":"x","raw":null"#),
            record(r#""translatable":"yes","source":"a","target":"x","raw":null"#),
            "{\"id\": ".to_string(),
        ] {
            std::fs::write(&path, format!("{}\n{bad}\n", lines[0])).unwrap();
            let input = Input::records(std::slice::from_ref(&path)).unwrap();
            let whole = texts_whole(&input);
            assert!(
                whole
                    .as_ref()
                    .is_err_and(|error| error.contains("a.jsonl:line 2:")),
                "{whole:?}"
            );
            assert_eq!(texts_read(&input), whole);
        }
    }
}
