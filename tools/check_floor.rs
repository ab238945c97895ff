//! The floor of `selaras check --pairs` (issue #15): the least work a glossary check of a
//! JSON-lines file of pairs can do, to measure `check` against. Not part of the shipped binary.
//!
//! Reads the glossary's TSV columns (`source`; `target`, `variants`, `forbidden`), builds one
//! leftmost-longest, ASCII-case-insensitive Aho-Corasick automaton over the source terms and one
//! over the English renderings, then streams the pairs file a line at a time: parses each line
//! (`{"id", "source", "target"}`), runs one pass of the source automaton over the source and one
//! of the target automaton over the target, and counts the hits. No normalisation, no word
//! boundaries, no verdicts, no output per pair: one summary line at the end.
//!
//! Build and run: `cargo build --release --example check_floor`, then
//! `target/release/examples/check_floor GLOSSARY.tsv PAIRS.jsonl`.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Deserialize)]
struct Pair<'a> {
    #[serde(borrow)]
    #[allow(dead_code)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    source: Cow<'a, str>,
    #[serde(borrow)]
    target: Option<Cow<'a, str>>,
}

/// The source terms and the English renderings of a glossary TSV (header line, `#` comments).
fn read_glossary(path: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    let mut lines = text.lines().filter(|line| !line.starts_with('#'));
    let header: Vec<&str> = lines
        .next()
        .ok_or_else(|| format!("{path}: empty"))?
        .split('\t')
        .collect();
    let column = |name: &str| header.iter().position(|field| *field == name);
    let source = column("source").ok_or_else(|| format!("{path}: no source column"))?;
    let renderings: Vec<usize> = ["target", "variants", "forbidden"]
        .iter()
        .filter_map(|name| column(name))
        .collect();
    let (mut sources, mut targets) = (Vec::new(), Vec::new());
    for line in lines.filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        if let Some(term) = fields.get(source).filter(|term| !term.is_empty()) {
            sources.push(term.to_string());
        }
        for &index in &renderings {
            let field = fields.get(index).copied().unwrap_or_default();
            targets.extend(
                field
                    .split('|')
                    .filter(|rendering| !rendering.is_empty())
                    .map(str::to_string),
            );
        }
    }
    Ok((sources, targets))
}

/// The automaton kind is the crate's own choice (for 10,000 terms a contiguous NFA; a DFA of
/// that size takes over 100 MB), or a DFA when `SELARAS_FLOOR_DFA` is set.
fn automaton(patterns: &[String]) -> Result<AhoCorasick, String> {
    let kind = std::env::var_os("SELARAS_FLOOR_DFA").map(|_| AhoCorasickKind::DFA);
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .kind(kind)
        .build(patterns)
        .map_err(|error| error.to_string())
}

fn run(glossary: &str, pairs: &str) -> Result<(), String> {
    let (sources, targets) = read_glossary(glossary)?;
    let (source_automaton, target_automaton) = (automaton(&sources)?, automaton(&targets)?);
    let file = std::fs::File::open(pairs).map_err(|error| format!("{pairs}: {error}"))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let (mut count, mut source_hits, mut target_hits) = (0usize, 0usize, 0usize);
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .map_err(|error| format!("{pairs}: {error}"))?;
        if read == 0 {
            break;
        }
        if line.trim().is_empty() {
            continue;
        }
        let pair: Pair<'_> = serde_json::from_str(&line)
            .map_err(|error| format!("{pairs}:{}: {error}", count + 1))?;
        count += 1;
        source_hits += source_automaton.find_iter(pair.source.as_ref()).count();
        if let Some(target) = &pair.target {
            target_hits += target_automaton.find_iter(target.as_ref()).count();
        }
    }
    println!(
        "{count} pairs, {source_hits} source hits, {target_hits} target hits ({} terms, {} renderings)",
        sources.len(),
        targets.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [glossary, pairs] = arguments.as_slice() else {
        eprintln!("usage: check_floor GLOSSARY.tsv PAIRS.jsonl");
        return ExitCode::from(2);
    };
    match run(glossary, pairs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
