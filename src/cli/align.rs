//! `selaras align`: pair Indonesian articles with existing English versions, sentence by
//! sentence — one pair of files, or two folders matched by file stem — and write the pairs as
//! aligned records, JSON lines on stdout, or TMX memory.
//!
//! The lexical evidence comes from a translation table learnt from the approved memory (the
//! configured memories and any `--lexicon-memory` TMX), cached under `.selaras/`; with
//! `--with-engine`, from the configured endpoint's translation of the source too, through the
//! translate stage and its cache ([`engine`]).

mod engine;

use super::terms::{load_verifier, term_pairs};
use super::{ManyErrors, write_stdout};
use crate::bitext::anchors::Terms;
use crate::bitext::memory::{
    MemoryLanguages, MemoryMergeError, add_to_memory, memory_link_count, unstorable_links,
};
use crate::bitext::{
    self, AlignOptions, ArticleAlignment, Evidence, LinkKind, align_articles,
    english_segment_options,
};
use crate::config::Settings;
use crate::corpus::{self, SourceFile, write_atomic};
use crate::error::Outcome;
use crate::model::Article;
use crate::record::{self, write_jsonl};
use crate::segment::segment_article;
use anyhow::{Context, anyhow};
use clap::{Args, ValueEnum};
use engine::{engine_translations, translation_table};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The Indonesian article (.txt, one paragraph per line), or a folder of them
    #[arg(value_name = "SOURCE.txt|SRC_DIR")]
    source: PathBuf,

    /// Its existing English version (.txt, one paragraph per line), or a folder holding the
    /// English version of each article under the same stem (`<stem>.txt` or `<stem>.en.txt`)
    #[arg(value_name = "TARGET.txt|EN_DIR")]
    target: PathBuf,

    /// Folder for the aligned records, `<article>.jsonl` (default: the configured output folder)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Print the links on stdout in this format instead of writing records (default: no
    /// --format, the records are written into the output folder and nothing to stdout)
    #[arg(long, value_enum)]
    format: Option<AlignFormat>,

    /// Links whose confidence is below this are flagged for review and kept out of the memory
    #[arg(long, default_value_t = 0.5, value_name = "X", value_parser = parse_threshold)]
    threshold: f64,

    /// Also add the links at or above the threshold to a TMX translation memory
    #[arg(long)]
    into_memory: bool,

    /// The memory --into-memory adds to (default: <output folder>/aligned-memory.tmx)
    #[arg(long, value_name = "FILE", requires = "into_memory")]
    memory_out: Option<PathBuf>,

    /// Glossary (TSV, CSV or TBX) whose term pairs anchor the alignment (default: the
    /// configured glossaries)
    #[arg(long, value_name = "FILE")]
    glossary: Option<PathBuf>,

    /// Also learn the lexicon from this TMX file (repeatable; the configured memories are
    /// always used)
    #[arg(long, value_name = "FILE")]
    lexicon_memory: Vec<PathBuf>,

    /// No lexical evidence: lengths and anchors only
    #[arg(long)]
    no_lexicon: bool,

    /// Also compare the engine's translation of each source sentence with the English
    /// (through the translate cache: a rerun sends nothing)
    #[arg(long)]
    with_engine: bool,

    /// The endpoint --with-engine uses, a name under [endpoints] in selaras.toml, or `memory`
    /// (default: `[translate] endpoint`; ignored without --with-engine)
    #[arg(long, env = "SELARAS_ENDPOINT", value_name = "NAME")]
    endpoint: Option<String>,

    /// Replace invalid UTF-8 with U+FFFD instead of refusing a file
    #[arg(long)]
    lossy: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum AlignFormat {
    /// One link per line: {"source", "target", "confidence", "link", "source_ids", "target_ids", "flagged"}
    Jsonl,
}

fn parse_threshold(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

/// One printed link; the first three field names are a public contract.
#[derive(Serialize)]
struct LinkLine {
    source: String,
    target: String,
    confidence: f64,
    link: &'static str,
    source_ids: Vec<String>,
    target_ids: Vec<String>,
    flagged: bool,
}

/// An Indonesian article and its English version, as read.
type FilePair = (SourceFile, SourceFile);

/// The article pairs named on the command line: two files, or two folders matched by stem.
/// English files with no article are returned apart.
fn article_pairs(args: &AlignArgs) -> anyhow::Result<(Vec<FilePair>, Vec<String>)> {
    if !args.source.is_dir() && !args.target.is_dir() {
        let source = corpus::read_source(&args.source, args.lossy)?;
        let target = corpus::read_source(&args.target, args.lossy)?;
        return Ok((vec![(source, target)], Vec::new()));
    }
    for path in [&args.source, &args.target] {
        if !path.is_dir() {
            return Err(anyhow!(
                "{}: not a folder (give two files, or two folders)",
                path.display()
            ));
        }
    }
    let load = |path: &Path| {
        corpus::load_sources(&[path.to_path_buf()], args.lossy)
            .map_err(|errors| ManyErrors(errors.iter().map(ToString::to_string).collect()))
    };
    let sources = load(&args.source)?;
    let mut targets: std::collections::BTreeMap<String, SourceFile> = load(&args.target)?
        .into_iter()
        .map(|file| (file.stem.clone(), file))
        .collect();
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    for source in sources {
        let english = targets
            .remove(&source.stem)
            .or_else(|| targets.remove(&format!("{}.en", source.stem)));
        match english {
            Some(target) => pairs.push((source, target)),
            None => unmatched.push(format!(
                "{}: no English version ({}/{}.txt)",
                source.path.display(),
                args.target.display(),
                source.stem
            )),
        }
    }
    unmatched.extend(targets.values().map(|file| {
        format!(
            "{}: no Indonesian article of that stem",
            file.path.display()
        )
    }));
    if pairs.is_empty() {
        return Err(anyhow!(
            "no article in {} has an English version in {}",
            args.source.display(),
            args.target.display()
        ));
    }
    Ok((pairs, unmatched))
}

pub fn run(args: AlignArgs, settings: &Settings) -> anyhow::Result<Outcome> {
    let (files, unmatched) = article_pairs(&args)?;
    let verifier = load_verifier(args.glossary.as_deref(), settings)?;
    let terms = Terms::new(&term_pairs(verifier.as_ref()));
    let source_options = settings.segment_options();
    let english_options = english_segment_options(&source_options);
    let articles: Vec<(Article, Article)> = files
        .iter()
        .map(|(source, target)| {
            (
                segment_article(&source.stem, &source.text, &source_options),
                segment_article(&target.stem, &target.text, &english_options),
            )
        })
        .collect();
    let table = if args.no_lexicon {
        None
    } else {
        Some(translation_table(settings, &args.lexicon_memory)?)
    };
    let engine = if args.with_engine {
        let sources: Vec<&Article> = articles.iter().map(|(source, _)| source).collect();
        Some(engine_translations(
            settings,
            args.endpoint.as_deref(),
            &sources,
        )?)
    } else {
        None
    };
    let options = AlignOptions {
        threshold: args.threshold,
        lexical_weight: if args.no_lexicon {
            0.0
        } else {
            AlignOptions::default().lexical_weight
        },
        ..AlignOptions::default()
    };
    let evidence = Evidence {
        terms: Some(&terms),
        table: table.as_ref(),
        engine: engine.as_ref(),
    };
    let alignments = align_all(&articles, &evidence, &options);

    // prepare every output before writing any
    let memory = if args.into_memory {
        let path = args
            .memory_out
            .clone()
            .unwrap_or_else(|| settings.output_dir.join("aligned-memory.tmx"));
        let mut text = if path.exists() {
            Some(
                crate::corpus::read_input_to_string(&path)
                    .with_context(|| format!("{}: cannot read the memory", path.display()))?,
            )
        } else {
            None
        };
        let languages = MemoryLanguages {
            source: &settings.source_lang,
            target: &settings.target_lang,
            creation_tool_version: env!("CARGO_PKG_VERSION"),
        };
        for alignment in &alignments {
            for left_out in unstorable_links(alignment, args.threshold) {
                eprintln!(
                    "warning: segment {} left out of {}: its {} holds {}, a control character XML 1.0 cannot carry (TMX has no way to keep it)",
                    left_out.id,
                    path.display(),
                    left_out.side,
                    crate::xml::code_point(left_out.character),
                );
            }
            let merged = add_to_memory(text.as_deref(), alignment, args.threshold, languages)
                .map_err(|error| match error {
                    MemoryMergeError::NotTmx(cause) => anyhow::Error::new(cause)
                        .context(format!("{}: not a TMX file", path.display())),
                    other => anyhow!("{}: {other}", path.display()),
                })?;
            text = Some(merged);
        }
        text.map(|text| (path, text))
    } else {
        None
    };
    match args.format {
        Some(AlignFormat::Jsonl) => {
            write_stdout(|out| {
                alignments
                    .iter()
                    .try_for_each(|alignment| print_links(alignment, out))
            })?;
        }
        None => {
            let folder = args
                .out
                .clone()
                .unwrap_or_else(|| settings.output_dir.clone());
            let mut outputs = Vec::with_capacity(alignments.len());
            for (((source, _), (article, _)), alignment) in
                files.iter().zip(&articles).zip(&alignments)
            {
                let records = record::from_alignment(article, alignment);
                let mut buffer = Vec::new();
                write_jsonl(&records, &mut buffer).context("cannot serialise the records")?;
                outputs.push((folder.join(format!("{}.jsonl", source.stem)), buffer));
            }
            std::fs::create_dir_all(&folder)
                .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
            for (path, buffer) in &outputs {
                write_atomic(path, buffer)
                    .with_context(|| format!("{}: cannot write the records", path.display()))?;
            }
            if let [(path, _)] = outputs.as_slice() {
                eprintln!("wrote {}", path.display());
            } else {
                eprintln!(
                    "wrote {} record files into {}",
                    outputs.len(),
                    folder.display()
                );
            }
        }
    }
    if let Some((path, text)) = &memory {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("{}: cannot create the folder", parent.display()))?;
        }
        write_atomic(path, text.as_bytes())
            .with_context(|| format!("{}: cannot write the memory", path.display()))?;
    }
    for note in &unmatched {
        eprintln!("note: {note}");
    }
    let memory_path = memory.as_ref().map(|(path, _)| path.as_path());
    if let [alignment] = alignments.as_slice() {
        eprintln!("{}", summary(&[alignment], args.threshold, memory_path));
    } else {
        for ((source, _), alignment) in files.iter().zip(&alignments) {
            eprintln!(
                "{}: {}",
                source.stem,
                summary(&[alignment], args.threshold, None)
            );
        }
        let all: Vec<&ArticleAlignment> = alignments.iter().collect();
        eprintln!(
            "overall, {} articles: {}",
            all.len(),
            summary(&all, args.threshold, memory_path)
        );
    }
    Ok(Outcome::Success)
}

/// Aligns every pair, the articles shared out among the available cores.
fn align_all(
    articles: &[(Article, Article)],
    evidence: &Evidence<'_>,
    options: &AlignOptions,
) -> Vec<ArticleAlignment> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |count| count.get())
        .min(articles.len())
        .max(1);
    let chunk = articles.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(source, target)| align_articles(source, target, evidence, options))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

fn print_links(alignment: &ArticleAlignment, out: &mut dyn Write) -> std::io::Result<()> {
    for link in &alignment.links {
        let line = LinkLine {
            source: ArticleAlignment::joined(&link.source, &alignment.source),
            target: ArticleAlignment::joined(&link.target, &alignment.target),
            confidence: bitext::rounded(link.confidence),
            link: link.kind.as_str(),
            source_ids: ArticleAlignment::ids(&link.source, &alignment.source),
            target_ids: ArticleAlignment::ids(&link.target, &alignment.target),
            flagged: link.flagged,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

/// One line of counts over the given alignments.
fn summary(alignments: &[&ArticleAlignment], threshold: f64, memory: Option<&Path>) -> String {
    let links = || alignments.iter().flat_map(|alignment| &alignment.links);
    let count = |kind: LinkKind| links().filter(|link| link.kind == kind).count();
    let flagged = links().filter(|link| link.flagged).count();
    let sum = |side: fn(&ArticleAlignment) -> usize| -> usize {
        alignments.iter().map(|alignment| side(alignment)).sum()
    };
    let mut message = format!(
        "aligned {} source and {} English sentences: {} 1-1, {} 1-2, {} 2-1, {} swapped, {} omitted (1-0), {} added (0-1); {} flagged below {}",
        sum(|alignment| alignment.source.len()),
        sum(|alignment| alignment.target.len()),
        count(LinkKind::OneToOne),
        count(LinkKind::OneToTwo),
        count(LinkKind::TwoToOne),
        count(LinkKind::Swap),
        count(LinkKind::OneToZero),
        count(LinkKind::ZeroToOne),
        flagged,
        threshold,
    );
    if let Some(path) = memory {
        let added: usize = alignments
            .iter()
            .map(|alignment| memory_link_count(alignment, threshold))
            .sum();
        message.push_str(&format!("; {added} links added to {}", path.display()));
    }
    message
}
