//! The translation memory and the engine cache, in one SQLite database.
//!
//! Two kinds of entry live in `.selaras/memory.sqlite` (WAL mode):
//! - **approved** translations, loaded from the versioned TMX files named in `selaras.toml`.
//!   A file is read again only when its content hash changed; a file no longer configured or
//!   gone from disk takes its entries with it. The TMX files are the truth, the rows a copy, so
//!   a fresh clone with no database still has its approved memory. [`write_tmx`] writes
//!   entries back as TMX 1.4b.
//! - **cached** engine answers, keyed by engine identity (kind, URL, model, target variant,
//!   prompt version: never the key), language pair and the exact text sent. Each answer is
//!   committed in its own transaction the moment it arrives, so a crash loses at most the
//!   answers still in flight. Deleting the database loses nothing but these paid-for answers.
//!
//! Must not send requests, print or know about segments and articles.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The schema this code writes; an older or newer database is rebuilt from scratch (it is only
/// a cache of the TMX files and of engine answers).
const SCHEMA_VERSION: i64 = 1;

/// A source and a target language tag (`id`, `en`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguagePair {
    pub source: String,
    pub target: String,
}

impl LanguagePair {
    pub fn new(source: impl Into<String>, target: impl Into<String>) -> Self {
        LanguagePair {
            source: source.into(),
            target: target.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error(
        "{path}: cannot open the memory database: {message} (it only caches engine answers; delete it to start afresh)"
    )]
    Open { path: PathBuf, message: String },
    #[error("{path}: memory database error: {message}")]
    Database { path: PathBuf, message: String },
    #[error("{path}: cannot read the translation memory: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line_number}: not a valid TMX file: {message}")]
    Tmx {
        path: PathBuf,
        line_number: usize,
        message: String,
    },
}

impl crate::error::Classified for MemoryError {
    fn class(&self) -> crate::error::ErrorClass {
        match self {
            // a database that fails mid-run (a full disk, a lost file): the run could not
            // finish, and what was committed is kept
            MemoryError::Database { .. } => crate::error::ErrorClass::Incomplete,
            // a database that cannot be opened (corrupt: delete it), an unreadable or
            // malformed memory file: the user's to fix
            MemoryError::Open { .. } | MemoryError::Read { .. } | MemoryError::Tmx { .. } => {
                crate::error::ErrorClass::Input
            }
        }
    }
}

/// What [`Store::sync_approved`] did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SyncReport {
    /// Files read again because they are new or changed, with their number of entries.
    pub loaded: Vec<(PathBuf, usize)>,
    /// Files whose content hash had not changed.
    pub unchanged: Vec<PathBuf>,
    /// Configured files that do not exist (not an error: the reviewed memory may come later).
    pub missing: Vec<PathBuf>,
}

/// The database.
pub struct Store {
    connection: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) the database at `path`, creating its folder.
    pub fn open(path: &Path) -> Result<Store, MemoryError> {
        let open_error = |message: String| MemoryError::Open {
            path: path.to_path_buf(),
            message,
        };
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|error| open_error(error.to_string()))?;
        }
        let connection = Connection::open(path).map_err(|error| open_error(error.to_string()))?;
        let mut store = Store {
            connection,
            path: path.to_path_buf(),
        };
        store
            .prepare()
            .map_err(|error| open_error(error.to_string()))?;
        Ok(store)
    }

    /// A database in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store, MemoryError> {
        let path = PathBuf::from(":memory:");
        let connection = Connection::open_in_memory().map_err(|error| MemoryError::Open {
            path: path.clone(),
            message: error.to_string(),
        })?;
        let mut store = Store { connection, path };
        store.prepare().map_err(|error| MemoryError::Open {
            path: PathBuf::from(":memory:"),
            message: error.to_string(),
        })?;
        Ok(store)
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open connection, for the small tables other modules keep in the same database
    /// ([`super::format_memory`]).
    pub(crate) fn connection(&self) -> &Connection {
        &self.connection
    }

    fn prepare(&mut self) -> rusqlite::Result<()> {
        self.connection
            .busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL: a reader never blocks the writer, and a killed process leaves every committed
        // transaction intact; NORMAL sync is durable against a process crash.
        let _mode: String = self
            .connection
            .query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
        self.connection
            .execute_batch("PRAGMA synchronous=NORMAL;")?;
        let version: i64 = self
            .connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version != SCHEMA_VERSION {
            self.connection.execute_batch(
                "DROP TABLE IF EXISTS approved;
                 DROP TABLE IF EXISTS memory_files;
                 DROP TABLE IF EXISTS cache;",
            )?;
        }
        self.connection.execute_batch(&format!(
            "CREATE TABLE IF NOT EXISTS memory_files (
                 path TEXT PRIMARY KEY,
                 content_hash TEXT NOT NULL,
                 source_lang TEXT NOT NULL,
                 target_lang TEXT NOT NULL
             );
             CREATE TABLE IF NOT EXISTS approved (
                 file TEXT NOT NULL,
                 source_lang TEXT NOT NULL,
                 target_lang TEXT NOT NULL,
                 source TEXT NOT NULL,
                 target TEXT NOT NULL,
                 PRIMARY KEY (file, source_lang, target_lang, source)
             );
             CREATE TABLE IF NOT EXISTS cache (
                 engine TEXT NOT NULL,
                 source_lang TEXT NOT NULL,
                 target_lang TEXT NOT NULL,
                 source TEXT NOT NULL,
                 target TEXT NOT NULL,
                 stored_at INTEGER NOT NULL,
                 PRIMARY KEY (engine, source_lang, target_lang, source)
             );
             PRAGMA user_version = {SCHEMA_VERSION};"
        ))
    }

    fn database_error(&self, error: rusqlite::Error) -> MemoryError {
        MemoryError::Database {
            path: self.path.clone(),
            message: error.to_string(),
        }
    }

    /// Brings the approved entries in line with `files` (in priority order: a later file wins
    /// when two hold the same source). Reads only files whose content changed.
    pub fn sync_approved(
        &mut self,
        files: &[PathBuf],
        pair: &LanguagePair,
    ) -> Result<SyncReport, MemoryError> {
        let mut report = SyncReport::default();
        let mut present: Vec<String> = Vec::new();
        for file in files {
            let bytes = match crate::corpus::read_input(file) {
                Ok(bytes) => bytes,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    report.missing.push(file.clone());
                    continue;
                }
                Err(source) => {
                    return Err(MemoryError::Read {
                        path: file.clone(),
                        source,
                    });
                }
            };
            let key = file.to_string_lossy().into_owned();
            present.push(key.clone());
            let hash = hex(&Sha256::digest(&bytes));
            let stored: Option<(String, String, String)> = self
                .connection
                .query_row(
                    "SELECT content_hash, source_lang, target_lang FROM memory_files WHERE path = ?1",
                    [&key],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()
                .map_err(|error| self.database_error(error))?;
            if stored == Some((hash.clone(), pair.source.clone(), pair.target.clone())) {
                report.unchanged.push(file.clone());
                continue;
            }
            let entries = crate::tmx::from_utf8(bytes)
                .and_then(|text| crate::tmx::read_pairs(&text, &pair.source, &pair.target))
                .map_err(|error| MemoryError::Tmx {
                    path: file.clone(),
                    line_number: error.line_number(),
                    message: error.message().to_string(),
                })?;
            let count = entries.len();
            self.replace_file(&key, &hash, pair, &entries)
                .map_err(|error| self.database_error(error))?;
            report.loaded.push((file.clone(), count));
        }
        // files no longer configured, or gone, take their entries with them
        let known: Vec<String> = {
            let mut statement = self
                .connection
                .prepare("SELECT path FROM memory_files")
                .map_err(|error| self.database_error(error))?;
            let rows = statement
                .query_map([], |row| row.get::<_, String>(0))
                .map_err(|error| self.database_error(error))?;
            rows.collect::<rusqlite::Result<Vec<String>>>()
                .map_err(|error| self.database_error(error))?
        };
        for stale in known.iter().filter(|path| !present.contains(path)) {
            let transaction = self
                .connection
                .transaction()
                .map_err(|error| database_error(&self.path, error))?;
            transaction
                .execute("DELETE FROM approved WHERE file = ?1", [stale])
                .and_then(|_| {
                    transaction.execute("DELETE FROM memory_files WHERE path = ?1", [stale])
                })
                .and_then(|_| transaction.commit())
                .map_err(|error| database_error(&self.path, error))?;
        }
        Ok(report)
    }

    fn replace_file(
        &mut self,
        key: &str,
        hash: &str,
        pair: &LanguagePair,
        entries: &[(String, String)],
    ) -> rusqlite::Result<()> {
        let transaction = self.connection.transaction()?;
        transaction.execute("DELETE FROM approved WHERE file = ?1", [key])?;
        {
            let mut insert = transaction.prepare(
                "INSERT OR REPLACE INTO approved (file, source_lang, target_lang, source, target)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (source, target) in entries {
                insert.execute(params![key, pair.source, pair.target, source, target])?;
            }
        }
        transaction.execute(
            "INSERT OR REPLACE INTO memory_files (path, content_hash, source_lang, target_lang)
             VALUES (?1, ?2, ?3, ?4)",
            params![key, hash, pair.source, pair.target],
        )?;
        transaction.commit()
    }

    /// Every approved entry of the pair, source → target; `files` gives the priority order
    /// (later wins).
    pub fn approved(
        &self,
        files: &[PathBuf],
        pair: &LanguagePair,
    ) -> Result<HashMap<String, String>, MemoryError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT file, source, target FROM approved WHERE source_lang = ?1 AND target_lang = ?2",
            )
            .map_err(|error| self.database_error(error))?;
        let rows = statement
            .query_map(params![pair.source, pair.target], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(|error| self.database_error(error))?;
        let mut rows: Vec<(usize, String, String)> = rows
            .map(|row| {
                row.map(|(file, source, target)| {
                    let rank = files
                        .iter()
                        .position(|path| path.to_string_lossy() == file)
                        .unwrap_or(0);
                    (rank, source, target)
                })
            })
            .collect::<rusqlite::Result<_>>()
            .map_err(|error| self.database_error(error))?;
        rows.sort_by_key(|(rank, _, _)| *rank);
        Ok(rows
            .into_iter()
            .map(|(_, source, target)| (source, target))
            .collect())
    }

    /// The cached answers of `engine` for those of `texts` it has answered before.
    pub fn cached(
        &self,
        engine: &str,
        pair: &LanguagePair,
        texts: &[&str],
    ) -> Result<HashMap<String, String>, MemoryError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT target FROM cache
                 WHERE engine = ?1 AND source_lang = ?2 AND target_lang = ?3 AND source = ?4",
            )
            .map_err(|error| self.database_error(error))?;
        let mut found = HashMap::new();
        for text in texts {
            let target: Option<String> = statement
                .query_row(params![engine, pair.source, pair.target, text], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(|error| database_error(&self.path, error))?;
            if let Some(target) = target {
                found.insert((*text).to_string(), target);
            }
        }
        Ok(found)
    }

    /// Commits one engine answer (the translations of one request) in its own transaction.
    pub fn store_answer(
        &mut self,
        engine: &str,
        pair: &LanguagePair,
        answers: &[(String, String)],
    ) -> Result<(), MemoryError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64);
        let result = (|| {
            let transaction = self.connection.transaction()?;
            {
                let mut insert = transaction.prepare_cached(
                    "INSERT OR REPLACE INTO cache (engine, source_lang, target_lang, source, target, stored_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (source, target) in answers {
                    insert.execute(params![
                        engine,
                        pair.source,
                        pair.target,
                        source,
                        target,
                        now
                    ])?;
                }
            }
            transaction.commit()
        })();
        result.map_err(|error| self.database_error(error))
    }

    /// Every cached answer of `engine` for the pair, in source order (for export and review).
    pub fn cached_entries(
        &self,
        engine: &str,
        pair: &LanguagePair,
    ) -> Result<Vec<(String, String)>, MemoryError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT source, target FROM cache
                 WHERE engine = ?1 AND source_lang = ?2 AND target_lang = ?3 ORDER BY source",
            )
            .map_err(|error| self.database_error(error))?;
        let rows = statement
            .query_map(params![engine, pair.source, pair.target], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .map_err(|error| self.database_error(error))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|error| self.database_error(error))
    }
}

fn database_error(path: &Path, error: rusqlite::Error) -> MemoryError {
    MemoryError::Database {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// Reads the (source, target) pairs of a TMX document for the pair's languages; errors are
/// `(1-based line, message)`. The reading is [`crate::tmx::read_pairs`]'s.
pub fn parse_tmx(
    text: &str,
    pair: &LanguagePair,
) -> Result<Vec<(String, String)>, (usize, String)> {
    crate::tmx::read_pairs(text, &pair.source, &pair.target)
        .map_err(|error| (error.line_number(), error.message().to_string()))
}

/// Writes entries as a TMX 1.4b document (`srclang` = the pair's source) with
/// [`crate::tmx::write`].
pub fn write_tmx(entries: &[(String, String)], pair: &LanguagePair) -> String {
    let units: Vec<crate::tmx::TranslationUnit> = entries
        .iter()
        .map(|(source, target)| crate::tmx::TranslationUnit {
            variants: vec![
                (pair.source.clone(), source.clone()),
                (pair.target.clone(), target.clone()),
            ],
            ..crate::tmx::TranslationUnit::default()
        })
        .collect();
    crate::tmx::write(
        &units,
        &crate::tmx::WriteOptions {
            source_language: &pair.source,
            creation_tool_version: env!("CARGO_PKG_VERSION"),
        },
    )
}

/// Opens the database and brings the approved memory up to date with the TMX files.
pub fn open_memory(
    database: &Path,
    files: &[PathBuf],
    pair: &LanguagePair,
) -> Result<(Store, SyncReport, HashMap<String, String>), MemoryError> {
    let mut store = Store::open(database)?;
    let report = store.sync_approved(files, pair)?;
    let approved = store.approved(files, pair)?;
    Ok((store, report, approved))
}

/// The approved pairs of TMX files read directly, without the database (source → English, a
/// later file winning as in a run); a file that does not exist adds nothing.
pub fn read_approved(
    files: &[PathBuf],
    pair: &LanguagePair,
) -> Result<HashMap<String, String>, MemoryError> {
    let mut approved = HashMap::new();
    for file in files {
        approved.extend(read_reviewed(file, pair)?);
    }
    Ok(approved)
}

/// The reviewed memory's pairs (source → reviewed English); none while it does not exist.
pub fn read_reviewed(
    path: &Path,
    pair: &LanguagePair,
) -> Result<HashMap<String, String>, MemoryError> {
    let text = match crate::corpus::read_input_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(source) => {
            return Err(MemoryError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    crate::tmx::read_pairs(&text, &pair.source, &pair.target)
        .map(|pairs| pairs.into_iter().collect())
        .map_err(|error| MemoryError::Tmx {
            path: path.to_path_buf(),
            line_number: error.line_number(),
            message: error.message().to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> LanguagePair {
        LanguagePair::new("id", "en")
    }

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="id" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/>
  <body>
    <tu>
      <tuv xml:lang="id-ID"><seg>Presiden &amp; Wakil Presiden tiba.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>The President &#38; Vice President arrived.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="id"><seg>Harga <bpt i="1">&lt;b&gt;</bpt>naik<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="en"><seg>Prices <hi>rose</hi>.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr"><seg>Bonjour.</seg></tuv>
      <tuv xml:lang="en"><seg>Hello.</seg></tuv>
    </tu>
  </body>
</tmx>
"#;

    #[test]
    fn tmx_units_are_read_for_the_pair() {
        let entries = parse_tmx(SAMPLE, &pair()).unwrap();
        assert_eq!(
            entries,
            [
                (
                    "Presiden & Wakil Presiden tiba.".to_string(),
                    "The President & Vice President arrived.".to_string()
                ),
                ("Harga naik.".to_string(), "Prices rose.".to_string()),
            ]
        );
    }

    #[test]
    fn malformed_tmx_names_the_line() {
        let broken = "<tmx version=\"1.4\">\n<body>\n<tu>\n<tuv xml:lang=\"id\"><seg>a</tuv>\n</body></tmx>\n";
        let (line, message) = parse_tmx(broken, &pair()).unwrap_err();
        assert_eq!(line, 4, "{message}");
        let (line, message) = parse_tmx("<html>\n</html>", &pair()).unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("<tmx>"), "{message}");
        let (_, message) = parse_tmx(
            "<tmx><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>",
            &pair(),
        )
        .unwrap_err();
        assert!(message.contains("xml:lang"), "{message}");
    }

    #[test]
    fn tmx_round_trips() {
        let entries = vec![
            (
                "Kata \"kutip\" <b> & 'apostrof'".to_string(),
                "Word \"quote\" <b> & 'apostrophe'".to_string(),
            ),
            ("Baris\tdua".to_string(), "Line\ttwo".to_string()),
        ];
        let written = write_tmx(&entries, &pair());
        assert!(written.contains("<tmx version=\"1.4\">"));
        assert!(written.contains("srclang=\"id\""));
        assert_eq!(parse_tmx(&written, &pair()).unwrap(), entries);
    }

    #[test]
    fn approved_memory_reloads_only_when_a_file_changes() {
        let folder = tempfile::tempdir().unwrap();
        let tmx = folder.path().join("memory.tmx");
        let database = folder.path().join(".selaras/memory.sqlite");
        let files = vec![tmx.clone(), folder.path().join("absent.tmx")];
        std::fs::write(&tmx, SAMPLE).unwrap();
        let mut store = Store::open(&database).unwrap();
        let report = store.sync_approved(&files, &pair()).unwrap();
        assert_eq!(report.loaded, [(tmx.clone(), 2)]);
        assert_eq!(report.missing, [folder.path().join("absent.tmx")]);
        let report = store.sync_approved(&files, &pair()).unwrap();
        assert_eq!(report.unchanged, std::slice::from_ref(&tmx));
        assert!(report.loaded.is_empty());
        std::fs::write(
            &tmx,
            write_tmx(&[("Satu.".to_string(), "One.".to_string())], &pair()),
        )
        .unwrap();
        let report = store.sync_approved(&files, &pair()).unwrap();
        assert_eq!(report.loaded, [(tmx.clone(), 1)]);
        let approved = store.approved(&files, &pair()).unwrap();
        assert_eq!(approved.len(), 1);
        assert_eq!(approved["Satu."], "One.");
        // unconfigured: its entries go
        store.sync_approved(&[], &pair()).unwrap();
        assert!(store.approved(&[], &pair()).unwrap().is_empty());
    }

    #[test]
    fn cache_is_keyed_by_engine_pair_and_text() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("m.sqlite");
        {
            let mut store = Store::open(&database).unwrap();
            store
                .store_answer(
                    "deepl a",
                    &pair(),
                    &[("Satu.".to_string(), "One.".to_string())],
                )
                .unwrap();
        }
        let store = Store::open(&database).unwrap();
        let hits = store
            .cached("deepl a", &pair(), &["Satu.", "Dua."])
            .unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits["Satu."], "One.");
        assert!(
            store
                .cached("deepl b", &pair(), &["Satu."])
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .cached("deepl a", &LanguagePair::new("id", "en-GB"), &["Satu."])
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.cached_entries("deepl a", &pair()).unwrap(),
            [("Satu.".to_string(), "One.".to_string())]
        );
    }

    #[test]
    fn a_database_that_is_not_sqlite_is_a_clear_error() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("m.sqlite");
        std::fs::write(
            &database,
            b"this is not a database at all, just some text bytes here",
        )
        .unwrap();
        let error = Store::open(&database).err().unwrap().to_string();
        assert!(error.contains("m.sqlite"), "{error}");
        assert!(error.contains("delete it"), "{error}");
    }
}
