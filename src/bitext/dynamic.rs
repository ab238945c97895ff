//! The dynamic program behind [`super::align_sentences`]: Viterbi for the best monotone
//! alignment and forward–backward for each link's posterior probability, over the same costs.
//!
//! A state is a point `(i, j)` (i source and j target sentences consumed) and whether the link
//! that led there had sentences on one side only; that bit lets 1-0 and 0-1 links absorb a
//! paragraph-break mismatch. Long inputs are searched within a band around the diagonal, so
//! the work is bounded by `sentences × band width`. Must not allocate per cell beyond its tables.

use super::anchors::Anchors;
use super::lexical::Lexical;
use super::{AlignOptions, Link, LinkKind, Sentence};

/// A step of the dynamic program; a swap consumes two sentences on each side, crosswise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    OneToOne,
    OneToTwo,
    TwoToOne,
    OneToZero,
    ZeroToOne,
    Swap,
}

const MOVES: [Move; 6] = [
    Move::OneToOne,
    Move::OneToTwo,
    Move::TwoToOne,
    Move::OneToZero,
    Move::ZeroToOne,
    Move::Swap,
];

impl Move {
    fn steps(self) -> (usize, usize) {
        match self {
            Move::OneToOne => (1, 1),
            Move::OneToTwo => (1, 2),
            Move::TwoToOne => (2, 1),
            Move::OneToZero => (1, 0),
            Move::ZeroToOne => (0, 1),
            Move::Swap => (2, 2),
        }
    }

    fn is_null(self) -> bool {
        matches!(self, Move::OneToZero | Move::ZeroToOne)
    }
}

const UNREACHABLE: f64 = f64::INFINITY;

/// `-ln(e^-a + e^-b)`: adds two probabilities given as costs.
fn add_costs(a: f64, b: f64) -> f64 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    if high == UNREACHABLE {
        return low;
    }
    low - (-(high - low)).exp().ln_1p()
}

/// The rows of the search space: for each `i`, the allowed `j` range, flattened.
struct Band {
    low: Vec<usize>,
    high: Vec<usize>,
    offsets: Vec<usize>,
    cells: usize,
}

impl Band {
    fn new(source_count: usize, target_count: usize, options: &AlignOptions) -> Band {
        let full = source_count == 0
            || (source_count + 1).saturating_mul(target_count + 1) <= options.full_search_cells;
        let mut low = Vec::with_capacity(source_count + 1);
        let mut high = Vec::with_capacity(source_count + 1);
        for i in 0..=source_count {
            if full {
                low.push(0);
                high.push(target_count);
                continue;
            }
            // row i reaches from the diagonal at i to the diagonal at i + 1, widened, so that
            // a 1-1 step from its right end always lands inside row i + 1
            let at = |row: usize| row as f64 * target_count as f64 / source_count as f64;
            let from = (at(i).floor() as usize).saturating_sub(options.band_width);
            let to = (at(i + 1).ceil() as usize + options.band_width).min(target_count);
            low.push(from);
            high.push(to);
        }
        let mut offsets = Vec::with_capacity(source_count + 1);
        let mut cells = 0;
        for i in 0..=source_count {
            offsets.push(cells);
            cells += high[i] - low[i] + 1;
        }
        Band {
            low,
            high,
            offsets,
            cells,
        }
    }

    fn index(&self, i: usize, j: usize) -> Option<usize> {
        let (low, high) = (*self.low.get(i)?, self.high[i]);
        (low..=high).contains(&j).then(|| self.offsets[i] + j - low)
    }
}

/// One alignment problem: lengths, blocks and anchors of both sides, and the options.
pub(super) struct Problem<'a> {
    source_lengths: Vec<usize>,
    target_lengths: Vec<usize>,
    source_blocks: Vec<usize>,
    target_blocks: Vec<usize>,
    anchors: &'a Anchors,
    /// Lexical evidence; `None` in a first pass or when there is none.
    lexical: Option<&'a Lexical>,
    options: &'a AlignOptions,
    prior_costs: [f64; 6],
}

impl<'a> Problem<'a> {
    pub(super) fn new(
        source: &[Sentence<'_>],
        target: &[Sentence<'_>],
        anchors: &'a Anchors,
        lexical: Option<&'a Lexical>,
        options: &'a AlignOptions,
    ) -> Problem<'a> {
        let length = |sentence: &Sentence| sentence.text.trim().chars().count();
        let priors = &options.priors;
        let cost = |probability: f64| -probability.max(f64::MIN_POSITIVE).ln();
        Problem {
            source_lengths: source.iter().map(length).collect(),
            target_lengths: target.iter().map(length).collect(),
            source_blocks: source.iter().map(|sentence| sentence.block).collect(),
            target_blocks: target.iter().map(|sentence| sentence.block).collect(),
            anchors,
            lexical,
            options,
            prior_costs: [
                cost(priors.one_to_one),
                cost(priors.one_to_two),
                cost(priors.two_to_one),
                cost(priors.one_to_zero),
                cost(priors.zero_to_one),
                cost(priors.swap),
            ],
        }
    }

    /// The cost of the link `step` makes from `(i, j)`, or `None` when it leaves the table.
    fn move_cost(&self, i: usize, j: usize, step: usize) -> Option<f64> {
        let movement = MOVES[step];
        let (di, dj) = movement.steps();
        if i + di > self.source_lengths.len() || j + dj > self.target_lengths.len() {
            return None;
        }
        let mut cost = self.prior_costs[step];
        if movement.is_null() {
            return Some(cost);
        }
        let options = self.options;
        let crossing = |blocks: &[usize], start: usize, count: usize| {
            count == 2 && blocks[start] != blocks[start + 1]
        };
        if crossing(&self.source_blocks, i, di) {
            cost += options.block_crossing_cost;
        }
        if crossing(&self.target_blocks, j, dj) {
            cost += options.block_crossing_cost;
        }
        let pair = |sources: &[usize], targets: &[usize]| {
            let source_chars: usize = sources.iter().map(|&k| self.source_lengths[k]).sum();
            let target_chars: usize = targets.iter().map(|&k| self.target_lengths[k]).sum();
            options.length.cost(source_chars, target_chars)
                + self.anchors.link_cost(
                    sources,
                    targets,
                    options.anchor_match_weight,
                    options.anchor_miss_weight,
                )
                - self.lexical.map_or(0.0, |lexical| {
                    options.lexical_weight * lexical.log_ratio(sources, targets)
                })
        };
        if movement == Move::Swap {
            cost += pair(&[i], &[j + 1]) + pair(&[i + 1], &[j]);
        } else {
            const INDICES: usize = 2;
            let sources: [usize; INDICES] = [i, i + 1];
            let targets: [usize; INDICES] = [j, j + 1];
            cost += pair(&sources[..di], &targets[..dj]);
        }
        Some(cost)
    }

    /// Whether exactly one side starts a new block (or ends the text) at `(i, j)`.
    fn blocks_disagree(&self, i: usize, j: usize) -> bool {
        let at_break =
            |blocks: &[usize], k: usize| k == 0 || k == blocks.len() || blocks[k - 1] != blocks[k];
        at_break(&self.source_blocks, i) != at_break(&self.target_blocks, j)
    }

    /// The cost of every move from `(i, j)`, computed once for both states.
    fn move_costs(&self, i: usize, j: usize) -> [Option<f64>; 6] {
        std::array::from_fn(|step| self.move_cost(i, j, step))
    }

    /// The cost of taking `step` (whose link costs `move_cost`) from `(i, j)` when the
    /// previous link was null or not.
    fn transition_cost(
        &self,
        i: usize,
        j: usize,
        after_null: bool,
        step: usize,
        move_cost: Option<f64>,
    ) -> Option<f64> {
        let mut cost = move_cost?;
        if !MOVES[step].is_null() && !after_null && self.blocks_disagree(i, j) {
            cost += self.options.block_mismatch_cost;
        }
        Some(cost)
    }

    /// The best alignment, each link with its posterior probability.
    pub(super) fn solve(&self) -> Vec<Link> {
        let source_count = self.source_lengths.len();
        let target_count = self.target_lengths.len();
        let band = Band::new(source_count, target_count, self.options);
        // every move's cost, once: the forward, backward and posterior passes share them
        let mut move_costs = Vec::with_capacity(band.cells);
        for i in 0..=source_count {
            for j in band.low[i]..=band.high[i] {
                move_costs.push(self.move_costs(i, j));
            }
        }
        let mut best = vec![[UNREACHABLE; 2]; band.cells];
        let mut back: Vec<[Option<(u8, u8)>; 2]> = vec![[None; 2]; band.cells];
        let mut forward = vec![[UNREACHABLE; 2]; band.cells];
        let start = band.index(0, 0).expect("the band holds the origin");
        best[start][0] = 0.0;
        forward[start][0] = 0.0;
        for i in 0..=source_count {
            for j in band.low[i]..=band.high[i] {
                let here = band.index(i, j).expect("inside the band");
                if best[here] == [UNREACHABLE; 2] {
                    continue;
                }
                let move_costs = &move_costs[here];
                for state in 0..2 {
                    let (best_here, forward_here) = (best[here][state], forward[here][state]);
                    if best_here == UNREACHABLE {
                        continue;
                    }
                    for step in 0..MOVES.len() {
                        let Some(cost) =
                            self.transition_cost(i, j, state == 1, step, move_costs[step])
                        else {
                            continue;
                        };
                        let (di, dj) = MOVES[step].steps();
                        let Some(there) = band.index(i + di, j + dj) else {
                            continue;
                        };
                        let next_state = usize::from(MOVES[step].is_null());
                        if best_here + cost < best[there][next_state] {
                            best[there][next_state] = best_here + cost;
                            back[there][next_state] = Some((step as u8, state as u8));
                        }
                        forward[there][next_state] =
                            add_costs(forward[there][next_state], forward_here + cost);
                    }
                }
            }
        }
        let end = band
            .index(source_count, target_count)
            .expect("the band holds the end");
        if best[end][0] == UNREACHABLE && best[end][1] == UNREACHABLE {
            return self.unaligned();
        }
        let backward = self.backward(&band, &move_costs);
        let total = add_costs(forward[end][0], forward[end][1]);
        // backtrack the Viterbi path
        let mut steps = Vec::new();
        let (mut i, mut j) = (source_count, target_count);
        let mut state = usize::from(best[end][1] < best[end][0]);
        while let Some((step, previous_state)) = back[band.index(i, j).expect("on the path")][state]
        {
            let (di, dj) = MOVES[step as usize].steps();
            i -= di;
            j -= dj;
            steps.push((i, j, step as usize));
            state = previous_state as usize;
        }
        steps.reverse();
        let mut links = Vec::with_capacity(steps.len());
        for (i, j, step) in steps {
            let (di, dj) = MOVES[step].steps();
            let here = band.index(i, j).expect("on the path");
            let there = band.index(i + di, j + dj).expect("on the path");
            let next_state = usize::from(MOVES[step].is_null());
            let mut posterior = 0.0;
            let move_cost = move_costs[here][step];
            for (state, forward_here) in forward[here].iter().enumerate() {
                if let Some(cost) = self.transition_cost(i, j, state == 1, step, move_cost) {
                    let path = forward_here + cost + backward[there][next_state];
                    posterior += (total - path).exp();
                }
            }
            let confidence = posterior.clamp(0.0, 1.0);
            let link = |kind, source: Vec<usize>, target: Vec<usize>| Link {
                kind,
                source,
                target,
                confidence,
                flagged: false,
            };
            match MOVES[step] {
                Move::Swap => {
                    links.push(link(LinkKind::Swap, vec![i], vec![j + 1]));
                    links.push(link(LinkKind::Swap, vec![i + 1], vec![j]));
                }
                movement => {
                    let kind = match movement {
                        Move::OneToOne => LinkKind::OneToOne,
                        Move::OneToTwo => LinkKind::OneToTwo,
                        Move::TwoToOne => LinkKind::TwoToOne,
                        Move::OneToZero => LinkKind::OneToZero,
                        _ => LinkKind::ZeroToOne,
                    };
                    links.push(link(kind, (i..i + di).collect(), (j..j + dj).collect()));
                }
            }
        }
        links
    }

    /// Backward costs: for each state, `-ln` of the total probability of the rest.
    fn backward(&self, band: &Band, move_costs: &[[Option<f64>; 6]]) -> Vec<[f64; 2]> {
        let source_count = self.source_lengths.len();
        let target_count = self.target_lengths.len();
        let mut backward = vec![[UNREACHABLE; 2]; band.cells];
        let end = band
            .index(source_count, target_count)
            .expect("the band holds the end");
        backward[end] = [0.0, 0.0];
        for i in (0..=source_count).rev() {
            for j in (band.low[i]..=band.high[i]).rev() {
                let here = band.index(i, j).expect("inside the band");
                if here == end {
                    continue;
                }
                let move_costs = &move_costs[here];
                for state in 0..2 {
                    let mut total = UNREACHABLE;
                    for step in 0..MOVES.len() {
                        let Some(cost) =
                            self.transition_cost(i, j, state == 1, step, move_costs[step])
                        else {
                            continue;
                        };
                        let (di, dj) = MOVES[step].steps();
                        let Some(there) = band.index(i + di, j + dj) else {
                            continue;
                        };
                        let rest = backward[there][usize::from(MOVES[step].is_null())];
                        if rest != UNREACHABLE {
                            total = add_costs(total, cost + rest);
                        }
                    }
                    backward[here][state] = total;
                }
            }
        }
        backward
    }

    /// Every sentence unlinked, with no confidence: only when the band cut every path.
    fn unaligned(&self) -> Vec<Link> {
        let unlinked = |kind, source: Vec<usize>, target: Vec<usize>| Link {
            kind,
            source,
            target,
            confidence: 0.0,
            flagged: true,
        };
        (0..self.source_lengths.len())
            .map(|i| unlinked(LinkKind::OneToZero, vec![i], vec![]))
            .chain(
                (0..self.target_lengths.len())
                    .map(|j| unlinked(LinkKind::ZeroToOne, vec![], vec![j])),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AlignOptions, Evidence, Sentence, align_sentences};
    use super::*;

    fn sentences<'a>(texts: &[(&'a str, usize)]) -> Vec<Sentence<'a>> {
        texts
            .iter()
            .map(|&(text, block)| Sentence { text, block })
            .collect()
    }

    fn shape(links: &[Link]) -> Vec<(Vec<usize>, Vec<usize>, LinkKind)> {
        links
            .iter()
            .map(|link| (link.source.clone(), link.target.clone(), link.kind))
            .collect()
    }

    #[test]
    fn cost_addition_is_log_sum() {
        // e^-a + e^-b with a = b = ln 2 is 1 → cost 0
        let half = std::f64::consts::LN_2;
        assert!(add_costs(half, half).abs() < 1e-12);
        assert_eq!(add_costs(UNREACHABLE, 3.0), 3.0);
        assert_eq!(add_costs(3.0, UNREACHABLE), 3.0);
    }

    #[test]
    fn equal_lengths_align_one_to_one_with_high_confidence() {
        let source = sentences(&[
            ("Satu dua tiga empat lima enam.", 1),
            (
                "Kalimat kedua yang jauh lebih panjang dari yang pertama ini.",
                1,
            ),
            ("Pendek.", 2),
        ]);
        let target = sentences(&[
            ("One two three four five six.", 1),
            (
                "A second sentence that is much longer than the first one.",
                1,
            ),
            ("Short.", 2),
        ]);
        let links = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        assert_eq!(
            shape(&links),
            [
                (vec![0], vec![0], LinkKind::OneToOne),
                (vec![1], vec![1], LinkKind::OneToOne),
                (vec![2], vec![2], LinkKind::OneToOne),
            ]
        );
        for link in &links {
            assert!(link.confidence > 0.9, "{link:?}");
            assert!(!link.flagged);
        }
    }

    #[test]
    fn merges_splits_and_omissions_by_length() {
        let long =
            "Kalimat yang cukup panjang untuk menjadi patokan panjang dalam uji ini, sekali.";
        let short_a = "Kalimat pendek pertama di sini.";
        let short_b = "Kalimat pendek kedua di sana.";
        let long_en =
            "A sentence long enough to serve as a length yardstick in this test, once here.";
        let merged_en = "A first short sentence here, and a second one there.";
        let source = sentences(&[(long, 1), (short_a, 2), (short_b, 2), (long, 3), (long, 4)]);
        let target = sentences(&[
            (long_en, 1),
            (merged_en, 2),
            ("The third long sentence", 3),
            ("was split in two by its translator today.", 3),
            (long_en, 4),
        ]);
        let links = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        assert_eq!(
            shape(&links),
            [
                (vec![0], vec![0], LinkKind::OneToOne),
                (vec![1, 2], vec![1], LinkKind::TwoToOne),
                (vec![3], vec![2, 3], LinkKind::OneToTwo),
                (vec![4], vec![4], LinkKind::OneToOne),
            ]
        );
        // an omitted sentence at the end of a paragraph
        let source = sentences(&[(long, 1), (short_a, 1), (long, 2)]);
        let target = sentences(&[(long_en, 1), (long_en, 2)]);
        let links = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        assert_eq!(
            shape(&links),
            [
                (vec![0], vec![0], LinkKind::OneToOne),
                (vec![1], vec![], LinkKind::OneToZero),
                (vec![2], vec![1], LinkKind::OneToOne),
            ]
        );
    }

    #[test]
    fn anchors_decide_a_swap_that_lengths_cannot() {
        let source = sentences(&[
            ("Pada tahun 2023 ekspor tumbuh 12 persen di Hanoi.", 1),
            ("Presiden Joe Biden berkunjung pada bulan September.", 1),
        ]);
        let target = sentences(&[
            ("President Joe Biden visited in September this year.", 1),
            ("In 2023 exports grew by 12 percent in Hanoi.", 1),
        ]);
        let links = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        assert_eq!(
            shape(&links),
            [
                (vec![0], vec![1], LinkKind::Swap),
                (vec![1], vec![0], LinkKind::Swap),
            ]
        );
    }

    #[test]
    fn empty_sides_give_null_links() {
        let source = sentences(&[("Satu.", 1), ("Dua.", 1)]);
        let links = align_sentences(&source, &[], &Evidence::default(), &AlignOptions::default());
        assert_eq!(
            shape(&links),
            [
                (vec![0], vec![], LinkKind::OneToZero),
                (vec![1], vec![], LinkKind::OneToZero),
            ]
        );
        assert!(
            links
                .iter()
                .all(|link| (link.confidence - 1.0).abs() < 1e-9)
        );
        assert!(
            align_sentences(&[], &[], &Evidence::default(), &AlignOptions::default()).is_empty()
        );
    }

    #[test]
    fn banded_search_matches_the_full_search_on_a_long_input() {
        let texts_source: Vec<String> = (0..400)
            .map(|k| format!("Kalimat nomor {k} {}.", "x".repeat(10 + (k * 37) % 60)))
            .collect();
        let texts_target: Vec<String> = (0..400)
            .filter(|k| k % 50 != 7)
            .map(|k| format!("Sentence number {k} {}.", "y".repeat(10 + (k * 37) % 60)))
            .collect();
        let source: Vec<Sentence> = texts_source
            .iter()
            .map(|text| Sentence { text, block: 1 })
            .collect();
        let target: Vec<Sentence> = texts_target
            .iter()
            .map(|text| Sentence { text, block: 1 })
            .collect();
        let full = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        let banded_options = AlignOptions {
            full_search_cells: 0,
            band_width: 20,
            ..AlignOptions::default()
        };
        let banded = align_sentences(&source, &target, &Evidence::default(), &banded_options);
        assert_eq!(shape(&full), shape(&banded));
        let omitted: Vec<usize> = full
            .iter()
            .filter(|link| link.kind == LinkKind::OneToZero)
            .map(|link| link.source[0])
            .collect();
        assert_eq!(omitted, [7, 57, 107, 157, 207, 257, 307, 357]);
        let band = Band::new(400, 392, &banded_options);
        assert!(band.cells < 400 * 50, "{}", band.cells);
    }

    #[test]
    fn posteriors_of_competing_links_are_low() {
        // two short sentences of equal length against one: merge or omit-either compete
        let source = sentences(&[("Dia datang ke sini.", 1), ("Dia pergi ke sana.", 1)]);
        let target = sentences(&[("He came here.", 1)]);
        let links = align_sentences(
            &source,
            &target,
            &Evidence::default(),
            &AlignOptions::default(),
        );
        let total: f64 = links.iter().map(|link| link.confidence).sum();
        assert!(links.iter().all(|link| link.confidence < 0.9), "{links:?}");
        assert!(total > 0.0);
    }
}
