//! Finding and reading source files, and writing output files atomically.
//!
//! Sources are `.txt` files named on the command line or found under a directory. Every file
//! is checked before any work starts: it must exist, be a regular file of at most
//! [`MAX_INPUT_BYTES`], be UTF-8, hold no NUL byte and not be empty; each failure names the
//! path (and the byte offset where it matters). [`read_input`] is how every input file
//! (sources, glossaries, memories, review files) is read.
//! Output files are written to a temporary file in the same folder and renamed into place, so
//! a reader never sees half a file. Must not segment, translate or print.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A source file that passed every check.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file name without `.txt`: the article name in every segment id.
    pub stem: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: the directory holds no .txt files")]
    NoTextFiles { path: PathBuf },
    #[error(
        "{path}: not valid UTF-8 at byte offset {byte_offset} (use --lossy to replace invalid bytes)"
    )]
    NotUtf8 { path: PathBuf, byte_offset: usize },
    #[error("{path}: NUL byte at byte offset {byte_offset}; this is not a text file")]
    NulByte { path: PathBuf, byte_offset: usize },
    #[error("{path}: the file is empty")]
    Empty { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: the article name {stem:?} is also used by {other}; segment ids would collide")]
    DuplicateStem {
        path: PathBuf,
        other: PathBuf,
        stem: String,
    },
    #[error("{path}: cannot walk the directory: {message}")]
    Walk { path: PathBuf, message: String },
}

impl crate::error::Classified for CorpusError {
    fn class(&self) -> crate::error::ErrorClass {
        crate::error::ErrorClass::Input
    }
}

/// Expands the given paths into source files, in a stable order: a file stands for itself
/// (whatever its extension), a directory for the `.txt` files below it (hidden entries
/// skipped, symbolic links followed, loops reported).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<CorpusError>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                // a dangling link or a missing path
                errors.push(CorpusError::NotFound { path: path.clone() });
                continue;
            }
            Err(source) => {
                errors.push(CorpusError::Io {
                    path: path.clone(),
                    source,
                });
                continue;
            }
        };
        if !metadata.is_dir() {
            found.push(path.clone());
            continue;
        }
        let before = found.len();
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_text = entry.path().extension().is_some_and(|ext| ext == "txt");
                    if entry.file_type().is_file() && is_text {
                        found.push(entry.into_path());
                    }
                }
                Err(error) => errors.push(CorpusError::Walk {
                    path: error.path().unwrap_or(path).to_path_buf(),
                    message: walk_message(&error),
                }),
            }
        }
        if found.len() == before {
            errors.push(CorpusError::NoTextFiles { path: path.clone() });
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

fn walk_message(error: &walkdir::Error) -> String {
    if let Some(ancestor) = error.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    error
        .io_error()
        .map_or_else(|| error.to_string(), |io| io.to_string())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// The most selaras reads from one input file (a source, glossary, memory or review file):
/// far more than any real one, far less than the machine holds.
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Reads a whole input file — a source, glossary, translation memory or review file — as
/// bytes. Anything that is not a regular file once symbolic links are followed (a FIFO, a
/// device such as `/dev/zero`, a socket, a folder) is refused by its type before it is
/// opened, so a FIFO never blocks the run; a file larger than [`MAX_INPUT_BYTES`] is refused,
/// and no more than that is ever read. Both are [`io::ErrorKind::InvalidInput`] errors saying
/// what the file is, for the caller to put after the path.
pub fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    let metadata = fs::metadata(path)?;
    check_input_metadata(&metadata)?;
    let file = fs::File::open(path)?;
    // what was opened may not be what was looked at a moment ago
    check_input_metadata(&file.metadata()?)?;
    let expected = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected.min(MAX_INPUT_BYTES as usize));
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large_input());
    }
    Ok(bytes)
}

/// [`read_input`] for a reader that streams: the same checks before the file is opened, and
/// reading more than [`MAX_INPUT_BYTES`] from it is the same error.
pub fn open_input(path: &Path) -> io::Result<impl Read + use<>> {
    let metadata = fs::metadata(path)?;
    check_input_metadata(&metadata)?;
    let file = fs::File::open(path)?;
    check_input_metadata(&file.metadata()?)?;
    Ok(LimitedInput {
        file,
        left: MAX_INPUT_BYTES,
    })
}

/// A file that refuses to be read past [`MAX_INPUT_BYTES`].
struct LimitedInput {
    file: fs::File,
    left: u64,
}

impl Read for LimitedInput {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let allowed = usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX);
        let length = buffer.len().min(allowed);
        let read = self.file.read(&mut buffer[..length])?;
        if read as u64 > self.left {
            return Err(too_large_input());
        }
        self.left -= read as u64;
        Ok(read)
    }
}

/// [`read_input`] for a file that must be UTF-8 text (an [`io::ErrorKind::InvalidData`] error
/// otherwise, as [`fs::read_to_string`] gives).
pub fn read_input_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_input(path)?).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not valid UTF-8 at byte offset {}",
                error.utf8_error().valid_up_to()
            ),
        )
    })
}

fn check_input_metadata(metadata: &fs::Metadata) -> io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        if metadata.len() > MAX_INPUT_BYTES {
            return Err(too_large_input());
        }
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_file_kind(&kind)
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file but {what}; selaras reads only regular files"),
    ))
}

#[cfg(unix)]
fn special_file_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_kind: &fs::FileType) -> &'static str {
    "a special file"
}

fn too_large_input() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "larger than {} MiB, the most selaras reads from one input file",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
}

/// Reads and checks one source file. With `lossy`, invalid UTF-8 is replaced by U+FFFD
/// instead of being an error.
pub fn read_source(path: &Path, lossy: bool) -> Result<SourceFile, CorpusError> {
    let bytes = read_input(path).map_err(|source| match source.kind() {
        io::ErrorKind::NotFound => CorpusError::NotFound {
            path: path.to_path_buf(),
        },
        _ => CorpusError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) if lossy => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        Err(error) => {
            return Err(CorpusError::NotUtf8 {
                path: path.to_path_buf(),
                byte_offset: error.utf8_error().valid_up_to(),
            });
        }
    };
    if let Some(byte_offset) = memchr::memchr(0, text.as_bytes()) {
        return Err(CorpusError::NulByte {
            path: path.to_path_buf(),
            byte_offset,
        });
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(CorpusError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        stem: article_stem(path),
        text,
    })
}

/// A source file that passed every check, without its text (a run reads it again when its
/// turn comes, so that a corpus is never held in memory whole).
#[derive(Debug, Clone)]
pub struct CheckedSource {
    pub path: PathBuf,
    pub stem: String,
    /// The size of the text in bytes, when it was checked.
    pub bytes: usize,
}

/// Discovers and checks every source as [`load_sources`] does, keeping only its path, name
/// and size: one file's text is in memory at a time.
pub fn check_sources(
    paths: &[PathBuf],
    lossy: bool,
) -> Result<Vec<CheckedSource>, Vec<CorpusError>> {
    let mut checked = Vec::new();
    each_source(paths, lossy, |source| {
        checked.push(CheckedSource {
            path: source.path,
            stem: source.stem,
            bytes: source.text.len(),
        });
    })?;
    Ok(checked)
}

/// Discovers and reads every source, reporting every problem rather than the first.
pub fn load_sources(paths: &[PathBuf], lossy: bool) -> Result<Vec<SourceFile>, Vec<CorpusError>> {
    let mut sources = Vec::new();
    each_source(paths, lossy, |source| sources.push(source))?;
    Ok(sources)
}

/// Reads and checks every source in turn, handing each good one to `take`; every problem is
/// reported rather than the first.
fn each_source(
    paths: &[PathBuf],
    lossy: bool,
    mut take: impl FnMut(SourceFile),
) -> Result<(), Vec<CorpusError>> {
    let files = discover(paths)?;
    let mut errors = Vec::new();
    let mut stems: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files {
        match read_source(&path, lossy) {
            Ok(source) => {
                if let Some(other) = stems.get(&source.stem) {
                    if same_file(other, &source.path) {
                        continue;
                    }
                    errors.push(CorpusError::DuplicateStem {
                        path: source.path.clone(),
                        other: other.clone(),
                        stem: source.stem.clone(),
                    });
                    continue;
                }
                stems.insert(source.stem.clone(), source.path.clone());
                take(source);
            }
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The article name of a source path: its file name without the extension, reduced to
/// characters that are safe in file names and ids (anything else becomes `_`).
/// The longest article name, in bytes: with `.jsonl`, `.xliff` or a temporary suffix it stays
/// under the usual 255-byte limit of a file name.
pub const MAX_STEM_BYTES: usize = 200;

/// Whether `stem` can name an output file inside the output folder and nowhere else: not
/// empty, not hidden (no leading `.`, so never `.` or `..`), only letters, digits, `-`, `_`
/// and `.` (no separator, no drive letter), at most [`MAX_STEM_BYTES`]. Every name
/// [`article_stem`] makes passes.
pub fn is_safe_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem.len() <= MAX_STEM_BYTES
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

pub fn article_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut safe = safe.trim_start_matches('.');
    if safe.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !safe.is_char_boundary(cut) {
            cut -= 1;
        }
        safe = &safe[..cut];
    }
    if safe.is_empty() {
        "article".to_string()
    } else {
        safe.to_string()
    }
}

/// Writes `contents` to `path` through a temporary file in the same folder and a rename, so
/// the file is either the old one or the whole new one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(TEMPORARY_PREFIX)
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(contents)?;
    // a temporary file is private (0600); the file it replaces keeps its permissions, a new
    // one gets the usual 0644
    #[cfg(unix)]
    {
        let permissions = match fs::metadata(path) {
            Ok(existing) => existing.permissions(),
            Err(_) => default_permissions(),
        };
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// The name prefix of every temporary file or folder selaras makes next to its outputs.
pub const TEMPORARY_PREFIX: &str = ".selaras-";

/// Removes the temporaries a killed run left in `folder` (names starting with
/// [`TEMPORARY_PREFIX`]); returns how many. Only for a caller that holds the run lock: another
/// process writing into the same folder would lose its temporary file (its rename then fails;
/// no output is damaged).
pub fn remove_stale_temporaries(folder: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(TEMPORARY_PREFIX)
        {
            continue;
        }
        let result = if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())
        } else {
            fs::remove_file(entry.path())
        };
        match result {
            Ok(()) => removed += 1,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
    }
    Ok(removed)
}

#[cfg(unix)]
fn default_permissions() -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(0o644)
}

/// The output folder or the project's run lock cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: the output folder is a file; name a folder with --out or `output-dir`")]
    OutputIsAFile { path: PathBuf },
    #[error(
        "another selaras translate is running on this project (lock {path} is held); wait for it to finish"
    )]
    Locked { path: PathBuf },
    #[error("{path}: cannot take the run lock: {source}")]
    Lock { path: PathBuf, source: io::Error },
}

impl crate::error::Classified for OutputError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            OutputError::OutputIsAFile { .. } => crate::error::ErrorClass::Input,
            // another run holds the lock, or the lock file cannot be taken: nothing to fix in
            // the input, the run could not go ahead
            OutputError::Locked { .. } | OutputError::Lock { .. } => {
                crate::error::ErrorClass::Incomplete
            }
        }
    }
}

/// Fails when `out_dir`, or the nearest part of it that exists, is not a folder.
pub fn check_output_folder(out_dir: &Path) -> Result<(), OutputError> {
    let existing = out_dir
        .ancestors()
        .find(|path| !path.as_os_str().is_empty() && std::fs::symlink_metadata(path).is_ok());
    match existing {
        Some(path) if !path.is_dir() => Err(OutputError::OutputIsAFile {
            path: path.to_path_buf(),
        }),
        _ => Ok(()),
    }
}

/// Holds the project's advisory run lock until dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
    pub path: PathBuf,
}

/// Takes the advisory lock `translate.lock` in `folder` (the database's folder, `.selaras/`),
/// or fails at once when another run holds it. The operating system releases it when the
/// process ends, however it ends.
pub fn acquire_run_lock(folder: &Path) -> Result<RunLock, OutputError> {
    let path = folder.join("translate.lock");
    let lock_error = |source| OutputError::Lock {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(folder).map_err(lock_error)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(lock_error)?;
    match file.try_lock() {
        Ok(()) => Ok(RunLock { _file: file, path }),
        Err(std::fs::TryLockError::WouldBlock) => Err(OutputError::Locked { path }),
        Err(std::fs::TryLockError::Error(source)) => Err(lock_error(source)),
    }
}

/// Takes the advisory lock file `path` (its folder is made when missing), waiting up to
/// `patience` for another process to release it: `None` when it is still held then. Unlike
/// [`acquire_run_lock`], for short critical sections that queue up (two saves of the reviewed
/// memory). The operating system releases the lock when the process ends, however it ends.
pub fn wait_for_lock(path: &Path, patience: std::time::Duration) -> io::Result<Option<RunLock>> {
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        fs::create_dir_all(folder)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    let deadline = std::time::Instant::now() + patience;
    loop {
        match file.try_lock() {
            Ok(()) => {
                return Ok(Some(RunLock {
                    _file: file,
                    path: path.to_path_buf(),
                }));
            }
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::WouldBlock) => return Ok(None),
            Err(fs::TryLockError::Error(error)) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waited_for_lock_is_taken_once_released_and_not_before() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/review.lock");
        let patience = std::time::Duration::from_millis(50);
        let first = wait_for_lock(&path, patience).unwrap().unwrap();
        assert!(wait_for_lock(&path, patience).unwrap().is_none());
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || {
                wait_for_lock(&path, std::time::Duration::from_secs(10))
                    .unwrap()
                    .is_some()
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(30));
        drop(first);
        assert!(waiter.join().unwrap());
    }

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let first = acquire_run_lock(folder.path()).unwrap();
        let second = acquire_run_lock(folder.path()).unwrap_err();
        assert!(matches!(second, OutputError::Locked { .. }), "{second}");
        assert!(second.to_string().contains("another selaras translate"));
        drop(first);
        acquire_run_lock(folder.path()).unwrap();
    }

    #[test]
    fn stale_temporaries_are_swept_and_nothing_else() {
        let folder = tempfile::tempdir().unwrap();
        let keep = folder.path().join("a.jsonl");
        write_atomic(&keep, b"{}\n").unwrap();
        fs::write(folder.path().join(".selaras-x1.tmp"), b"half").unwrap();
        fs::create_dir(folder.path().join(".selaras-previous-new-x2")).unwrap();
        fs::write(folder.path().join(".previous"), b"not ours").unwrap();
        assert_eq!(remove_stale_temporaries(folder.path()).unwrap(), 2);
        let mut names: Vec<String> = fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".previous", "a.jsonl"]);
        assert_eq!(
            remove_stale_temporaries(&folder.path().join("missing")).unwrap(),
            0
        );
    }

    #[test]
    fn stems_are_safe_file_names() {
        let table = [
            (
                "source_texts/000_979649cfeebf31a2.txt",
                "000_979649cfeebf31a2",
            ),
            ("a/b c.txt", "b_c"),
            ("../..txt", "article"),
            ("x/ber:ita.txt", "ber_ita"),
            ("..txt", "article"),
            ("...txt", "article"),
            ("/etc/passwd", "passwd"),
            ("C:\\x\\..\\y.txt", "C__x_.._y"),
            ("berita<script>&\"'.txt", "berita_script____"),
            ("\u{202e}txt.exe", "_txt"),
        ];
        for (path, stem) in table {
            assert_eq!(article_stem(Path::new(path)), stem, "{path}");
            assert!(is_safe_stem(stem), "{stem}");
        }
        let long = format!("{}.txt", "é".repeat(300));
        let stem = article_stem(Path::new(&long));
        assert!(stem.len() <= MAX_STEM_BYTES && is_safe_stem(&stem));
        for unsafe_stem in [
            "",
            ".",
            "..",
            "../x",
            "../../etc/x",
            "/etc/x",
            "a/b",
            "a\\b",
            ".hidden",
        ] {
            assert!(!is_safe_stem(unsafe_stem), "{unsafe_stem:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_by_type_without_being_opened() {
        let folder = tempfile::tempdir().unwrap();
        let fifo = folder.path().join("pipe.txt");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        // a FIFO opened for reading would block here until a writer came
        for path in [fifo.as_path(), Path::new("/dev/zero"), folder.path()] {
            let error = read_input(path).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{path:?}");
            assert!(error.to_string().contains("not a regular file"), "{error}");
        }
        assert!(read_input(&fifo).unwrap_err().to_string().contains("FIFO"));
        let link = folder.path().join("zero.txt");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let error = read_source(&link, false).unwrap_err().to_string();
        assert!(
            error.contains("zero.txt") && error.contains("character device"),
            "{error}"
        );
        // a sparse file over the limit is refused before it is read
        let huge = folder.path().join("huge.txt");
        fs::File::create(&huge)
            .unwrap()
            .set_len(MAX_INPUT_BYTES + 1)
            .unwrap();
        let error = read_input(&huge).unwrap_err().to_string();
        assert!(error.contains("larger than 512 MiB"), "{error}");
        let fine = folder.path().join("fine.txt");
        fs::write(&fine, "Halo.").unwrap();
        assert_eq!(read_input_to_string(&fine).unwrap(), "Halo.");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("bad.txt");
        fs::write(&path, b"Halo dunia \xff lagi").unwrap();
        let error = read_source(&path, false).unwrap_err();
        assert!(
            matches!(
                error,
                CorpusError::NotUtf8 {
                    byte_offset: 11,
                    ..
                }
            ),
            "{error}"
        );
        let lossy = read_source(&path, true).unwrap();
        assert_eq!(lossy.text, "Halo dunia \u{fffd} lagi");
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let leftovers = fs::read_dir(folder.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(
                mode, 0o644,
                "a new file is readable by others, like any output"
            );
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
            write_atomic(&path, b"third").unwrap();
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "a replaced file keeps its permissions");
        }
    }
}
