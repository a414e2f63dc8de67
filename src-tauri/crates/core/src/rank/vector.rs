//! The dense index: all vectors of one model in one contiguous, row-major `f32` matrix,
//! searched by dot product (vectors are L2-normalized, so this is cosine).
//!
//! Indexes of 20k–400k vectors also keep an int8 copy (one scale per row): a search
//! scans it (a quarter of the memory traffic, which bounds the scan) for the best few
//! hundred candidates and re-scores those exactly, so the scores returned are the `f32`
//! cosines. Larger indexes keep one sign bit per dimension instead (a 32nd of the
//! matrix, so memory stays near 4 bytes per dimension): Hamming distances to the
//! query's signs pick a few percent of the rows, their bits are scored against the full
//! query, and the best few thousand of those are re-scored exactly. That is approximate
//! (`bench-index` measures recall against scoring every vector: 0.998 at k = 10 on 1M).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// An exact in-memory vector index keyed by paper row id.
#[derive(Debug, Default, Clone)]
pub struct VectorIndex {
    dim: usize,
    ids: Vec<i64>,
    data: Vec<f32>,
    pos: HashMap<i64, usize>,
    /// The compact copy a search scans first.
    coarse: Coarse,
}

/// A compact copy of the vectors that a search scans for candidates.
#[derive(Debug, Default, Clone)]
enum Coarse {
    #[default]
    None,
    /// int8 codes, row-major, and each row's scale (`v ≈ codes · scale`).
    Int8 { codes: Vec<i8>, scales: Vec<f32> },
    /// One bit per dimension, set where `v > center` (`dim.div_ceil(8)` bytes per row),
    /// and each row's mean `|v − center|`: `v ≈ center + scale · (±1)`. The center is
    /// the mean vector when the bits were first made; later rows reuse it.
    Bits {
        bits: Vec<u8>,
        scales: Vec<f32>,
        center: Vec<f32>,
    },
}

/// Indexes of at least this many vectors search their int8 copy first.
const INT8_MIN: usize = 20_000;
/// Indexes above this many vectors keep sign bits instead of int8 codes (memory).
const INT8_MAX: usize = 400_000;
/// Candidates re-scored exactly after the int8 scan: this many times `k`, and at least
/// `RESCORE_MIN`.
const RESCORE_FACTOR: usize = 8;
const RESCORE_MIN: usize = 200;
/// Candidates re-scored exactly after the sign-bit scan (one bit loses far more than
/// int8 does, so many more are kept).
const BITS_RESCORE_FACTOR: usize = 100;
const BITS_RESCORE_MIN: usize = 4_000;
/// Rows kept by Hamming distance for the full sign-bit score: this many times the
/// candidates to re-score (recall@10 0.998 and recall@100 0.989 on 1M vectors).
const BITS_PREFILTER: usize = 8;
/// Every this-many-th row's distance sets the Hamming bound.
const BITS_SAMPLE: usize = 32;

/// A vector as int8 codes and the scale that maps them back (`v ≈ codes · scale`).
fn quantize(v: &[f32], codes: &mut Vec<i8>) -> f32 {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    codes.extend(
        v.iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
    );
    scale
}

/// Min-heap entry for top-k selection.
#[derive(PartialEq)]
struct Entry(f32, usize);
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed so BinaryHeap (a max-heap) keeps the smallest score on top.
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

impl VectorIndex {
    /// An index over `ids.len()` vectors of dimension `dim` stored row-major in `data`.
    pub fn from_parts(ids: Vec<i64>, data: Vec<f32>, dim: usize) -> VectorIndex {
        assert_eq!(ids.len() * dim, data.len(), "matrix shape");
        let pos = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut index = VectorIndex {
            dim,
            ids,
            data,
            pos,
            coarse: Coarse::None,
        };
        index.rebuild_coarse(index.len() > INT8_MAX);
        index
    }

    /// Makes the compact copy from every row: sign bits if `bits`, else int8 codes.
    fn rebuild_coarse(&mut self, bits: bool) {
        let dim = self.dim;
        if dim == 0 {
            self.coarse = Coarse::None;
            return;
        }
        let rows = self.data.chunks_exact(dim);
        self.coarse = if bits {
            let mut center = vec![0f32; dim];
            for row in rows.clone() {
                center.iter_mut().zip(row).for_each(|(c, x)| *c += x);
            }
            let n = self.len().max(1) as f32;
            center.iter_mut().for_each(|c| *c /= n);
            let mut bits = Vec::with_capacity(self.len() * dim.div_ceil(8));
            let scales = rows.map(|row| signs(row, &center, &mut bits)).collect();
            Coarse::Bits {
                bits,
                scales,
                center,
            }
        } else {
            let mut codes = Vec::with_capacity(self.data.len());
            let scales = rows.map(|row| quantize(row, &mut codes)).collect();
            Coarse::Int8 { codes, scales }
        };
    }

    /// Whether searches scan the int8 copy first.
    fn uses_int8(&self) -> bool {
        self.len() >= INT8_MIN && matches!(self.coarse, Coarse::Int8 { .. })
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no vector is stored.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Vector dimension (0 while empty).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The stored vector of a paper.
    pub fn get(&self, id: i64) -> Option<&[f32]> {
        let i = *self.pos.get(&id)?;
        Some(&self.data[i * self.dim..(i + 1) * self.dim])
    }

    /// Every `(row id, vector)`, in storage order.
    pub fn rows(&self) -> impl Iterator<Item = (i64, &[f32])> + '_ {
        self.ids
            .iter()
            .copied()
            .zip(self.data.chunks_exact(self.dim.max(1)))
    }

    /// Adds or replaces a paper's vector.
    pub fn upsert(&mut self, id: i64, v: &[f32]) {
        if self.dim == 0 {
            self.dim = v.len();
        }
        assert_eq!(v.len(), self.dim, "vector dimension");
        let row = match self.pos.get(&id) {
            Some(&i) => {
                self.data[i * self.dim..(i + 1) * self.dim].copy_from_slice(v);
                i
            }
            None => {
                self.pos.insert(id, self.ids.len());
                self.ids.push(id);
                self.data.extend_from_slice(v);
                self.ids.len() - 1
            }
        };
        let dim = self.dim;
        let to_bits = self.len() > INT8_MAX && !matches!(self.coarse, Coarse::Bits { .. });
        if to_bits || matches!(self.coarse, Coarse::None) {
            // The first row, or the index has just outgrown its int8 copy.
            self.rebuild_coarse(to_bits);
            return;
        }
        match &mut self.coarse {
            Coarse::None => {}
            Coarse::Int8 { codes, scales } => {
                let mut fresh = Vec::with_capacity(dim);
                let scale = quantize(v, &mut fresh);
                store_code(codes, scales, row, dim, &fresh, scale);
            }
            Coarse::Bits {
                bits,
                scales,
                center,
            } => {
                let mut fresh = Vec::with_capacity(dim.div_ceil(8));
                let scale = signs(v, center, &mut fresh);
                store_code(bits, scales, row, dim.div_ceil(8), &fresh, scale);
            }
        }
    }

    /// The `k` most similar papers to `query`, best first, as `(row id, cosine)`.
    /// With `allowed`, only those ids are considered. Large indexes are scanned on every
    /// core, each thread keeping its own best; indexes with an int8 copy or sign bits
    /// pick candidates from them and re-score those exactly (see the module
    /// documentation).
    pub fn top_k(
        &self,
        query: &[f32],
        k: usize,
        allowed: Option<&HashSet<i64>>,
    ) -> Vec<(i64, f32)> {
        self.top_k_with(query, k, allowed, scan_threads(self.len()))
    }

    /// [`VectorIndex::top_k`] on a given number of threads (benchmarks).
    pub fn top_k_with(
        &self,
        query: &[f32],
        k: usize,
        allowed: Option<&HashSet<i64>>,
        threads: usize,
    ) -> Vec<(i64, f32)> {
        if k == 0 || self.is_empty() || query.len() != self.dim {
            return Vec::new();
        }
        let (entries, want) = match &self.coarse {
            Coarse::Int8 { codes, scales } if self.uses_int8() => {
                let mut q = Vec::with_capacity(self.dim);
                // The query's scale is common to every candidate's score: left out.
                quantize(query, &mut q);
                let want = (k * RESCORE_FACTOR).max(RESCORE_MIN);
                let parts = self.scan_parts(threads, |from, to| {
                    self.scan_int8(codes, scales, &q, want, allowed, from, to)
                });
                (parts, want)
            }
            Coarse::Bits { bits, scales, .. } => {
                let want = (k * BITS_RESCORE_FACTOR).max(BITS_RESCORE_MIN);
                let keep = want.saturating_mul(BITS_PREFILTER);
                let parts = self.scan_bits_parts(bits, scales, query, want, keep, allowed, threads);
                (parts, want)
            }
            _ => return self.top_k_exact_with(query, k, allowed, threads),
        };
        self.best(self.rescored(entries, want, query), k)
    }

    /// The best `want` of `entries` by their approximate scores, scored exactly. (Each
    /// thread of a split scan kept its own best `want`.)
    fn rescored(&self, mut entries: Vec<Entry>, want: usize, query: &[f32]) -> Vec<Entry> {
        if entries.len() > want {
            entries.select_nth_unstable_by(want, |a, b| b.0.total_cmp(&a.0));
            entries.truncate(want);
        }
        for e in &mut entries {
            e.0 = dot(&self.data[e.1 * self.dim..(e.1 + 1) * self.dim], query);
        }
        entries
    }

    /// The exact top `k`: every `f32` vector scored (benchmarks and tests compare the
    /// int8 path with it).
    pub fn top_k_exact_with(
        &self,
        query: &[f32],
        k: usize,
        allowed: Option<&HashSet<i64>>,
        threads: usize,
    ) -> Vec<(i64, f32)> {
        if k == 0 || self.is_empty() || query.len() != self.dim {
            return Vec::new();
        }
        let entries = self.scan_parts(threads, |from, to| self.scan(query, k, allowed, from, to));
        self.best(entries, k)
    }

    /// The `k` best entries, best first (ties by row id), as `(row id, score)`.
    fn best(&self, mut entries: Vec<Entry>, k: usize) -> Vec<(i64, f32)> {
        entries.sort_by(|a, b| b.0.total_cmp(&a.0).then(self.ids[a.1].cmp(&self.ids[b.1])));
        entries.truncate(k);
        entries.into_iter().map(|e| (self.ids[e.1], e.0)).collect()
    }

    /// Runs `scan(from, to)` over the rows split among `threads` and joins the parts.
    fn scan_parts(
        &self,
        threads: usize,
        scan: impl Fn(usize, usize) -> Vec<Entry> + Sync,
    ) -> Vec<Entry> {
        let rows = self.len();
        let threads = threads.clamp(1, rows);
        if threads == 1 {
            scan(0, rows)
        } else {
            let per = rows.div_ceil(threads);
            std::thread::scope(|s| {
                let scan = &scan;
                let parts: Vec<_> = (0..threads)
                    .map(|t| {
                        let (from, to) = (t * per, ((t + 1) * per).min(rows));
                        s.spawn(move || scan(from, to))
                    })
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        }
    }

    /// Whether row `i` may be returned under `allowed`.
    fn admits(&self, allowed: Option<&HashSet<i64>>, i: usize) -> bool {
        allowed.is_none_or(|a| a.contains(&self.ids[i]))
    }

    /// The top `k` of rows `from..to` by their int8 codes (scores in code units),
    /// unordered.
    #[allow(clippy::too_many_arguments)]
    fn scan_int8(
        &self,
        codes: &[i8],
        scales: &[f32],
        query: &[i8],
        k: usize,
        allowed: Option<&HashSet<i64>>,
        from: usize,
        to: usize,
    ) -> Vec<Entry> {
        let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k + 1);
        for i in from..to {
            if self.admits(allowed, i) {
                let row = &codes[i * self.dim..(i + 1) * self.dim];
                offer(&mut heap, k, dot_i8(row, query) as f32 * scales[i], i);
            }
        }
        heap.into_vec()
    }

    /// The best `want` rows by their sign bits, of the `keep` nearest by Hamming
    /// distance, on `threads` threads (scores up to a term common to every row).
    #[allow(clippy::too_many_arguments)]
    fn scan_bits_parts(
        &self,
        bits: &[u8],
        scales: &[f32],
        query: &[f32],
        want: usize,
        keep: usize,
        allowed: Option<&HashSet<i64>>,
        threads: usize,
    ) -> Vec<Entry> {
        let table = bit_table(query);
        let limit = self.bits_limit(bits, &table, keep, allowed);
        self.scan_parts(threads, |from, to| {
            self.scan_bits(bits, scales, &table, limit, want, allowed, from, to)
        })
    }

    /// The Hamming distance to the query's own signs within which about `keep`
    /// admitted rows lie, estimated from every `BITS_SAMPLE`th row (the dimension, so
    /// every row is scored, when too few are sampled to tell). Set once for the whole
    /// scan, so a split scan keeps the same rows as one thread.
    fn bits_limit(
        &self,
        bits: &[u8],
        table: &BitTable,
        keep: usize,
        allowed: Option<&HashSet<i64>>,
    ) -> usize {
        let width = self.dim.div_ceil(8);
        let mut dist = Vec::with_capacity(1);
        let mut counts = vec![0usize; self.dim + 1];
        let mut sampled = 0;
        for i in (0..self.len()).step_by(BITS_SAMPLE) {
            if self.admits(allowed, i) {
                hamming_rows(
                    &bits[i * width..(i + 1) * width],
                    width,
                    &table.signs,
                    &mut dist,
                );
                counts[usize::from(dist[0]).min(self.dim)] += 1;
                sampled += 1;
            }
        }
        let keep = keep / BITS_SAMPLE;
        let mut within = 0;
        match counts.iter().position(|c| {
            within += c;
            within > keep
        }) {
            Some(d) if sampled >= 64 => d,
            _ => self.dim,
        }
    }

    /// The top `k` of rows `from..to` by their sign bits (scores up to a term common to
    /// every row), unordered. Hamming distances to the query's own signs (six `popcnt`s
    /// a row at 384 dimensions) pass only rows within `limit` (see
    /// [`VectorIndex::bits_limit`]) to the full score by [`BitTable`]; rows are read in
    /// blocks that stay in cache between the two.
    #[allow(clippy::too_many_arguments)]
    fn scan_bits(
        &self,
        bits: &[u8],
        scales: &[f32],
        table: &BitTable,
        limit: usize,
        k: usize,
        allowed: Option<&HashSet<i64>>,
        from: usize,
        to: usize,
    ) -> Vec<Entry> {
        let width = self.dim.div_ceil(8);
        let mut dist = Vec::new();
        let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k + 1);
        const BLOCK: usize = 4096;
        let mut start = from;
        while start < to {
            let end = (start + BLOCK).min(to);
            hamming_rows(
                &bits[start * width..end * width],
                width,
                &table.signs,
                &mut dist,
            );
            for (i, &d) in (start..end).zip(&dist) {
                if usize::from(d) <= limit && self.admits(allowed, i) {
                    let row = &bits[i * width..(i + 1) * width];
                    offer(&mut heap, k, table.score(row) * scales[i], i);
                }
            }
            start = end;
        }
        heap.into_vec()
    }

    /// The top `k` of rows `from..to`, unordered.
    fn scan(
        &self,
        query: &[f32],
        k: usize,
        allowed: Option<&HashSet<i64>>,
        from: usize,
        to: usize,
    ) -> Vec<Entry> {
        let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k + 1);
        // Scores a block of rows at a time in one tight (SIMD) loop, then selects.
        const BLOCK: usize = 1024;
        let mut scores = vec![0f32; BLOCK];
        let mut start = from;
        while start < to {
            let end = (start + BLOCK).min(to);
            let block = &self.data[start * self.dim..end * self.dim];
            let scores = &mut scores[..end - start];
            dots(block, self.dim, query, scores);
            for (i, &s) in (start..end).zip(scores.iter()) {
                if self.admits(allowed, i) {
                    offer(&mut heap, k, s, i);
                }
            }
            start = end;
        }
        heap.into_vec()
    }
}

/// Writes row `row`'s fresh code (`width` entries) and scale, appending a new last row.
fn store_code<T: Copy>(
    codes: &mut Vec<T>,
    scales: &mut Vec<f32>,
    row: usize,
    width: usize,
    fresh: &[T],
    scale: f32,
) {
    if row == scales.len() {
        codes.extend_from_slice(fresh);
        scales.push(scale);
    } else {
        codes[row * width..(row + 1) * width].copy_from_slice(fresh);
        scales[row] = scale;
    }
}

/// Appends `v`'s sign bits around `center` (bit `t` of byte `j` is dimension `8j + t`)
/// and returns the row's mean `|v − center|`.
fn signs(v: &[f32], center: &[f32], bits: &mut Vec<u8>) -> f32 {
    let mut spread = 0f32;
    for (xs, cs) in v.chunks(8).zip(center.chunks(8)) {
        let mut byte = 0u8;
        for (t, (x, c)) in xs.iter().zip(cs).enumerate() {
            byte |= u8::from(x > c) << t;
            spread += (x - c).abs();
        }
        bits.push(byte);
    }
    spread / v.len().max(1) as f32
}

/// A query laid out for scoring sign bits: for each byte position `j` and each byte
/// value `b`, the sum of the query's components `8j + t` over the set bits `t` of `b`,
/// in 16-bit fixed point (the whole table is 24 KB at 384 dimensions: it stays in the
/// L1 cache). A row's `Σ q_i · (±1)_i` is then `2 · Σ_j table[j][row[j]] − Σ q_i`: one
/// lookup per byte instead of eight multiply-adds.
struct BitTable {
    sums: Vec<[i16; 256]>,
    /// The query's own sign bits (`q_i > 0`), laid out as a row's.
    signs: Vec<u8>,
    /// Query units per fixed-point unit, doubled (`2 / scale`).
    twice_unit: f32,
    total: f32,
}

fn bit_table(query: &[f32]) -> BitTable {
    let mut sums = vec![0f32; query.len().div_ceil(8) * 256];
    for (dims, table) in query.chunks(8).zip(sums.chunks_exact_mut(256)) {
        for b in 1..256usize {
            // `b` is `b` without its lowest set bit, plus that bit's component.
            let low = b.trailing_zeros() as usize;
            table[b] = table[b & (b - 1)] + dims.get(low).copied().unwrap_or(0.0);
        }
    }
    let max = sums.iter().fold(0f32, |m, x| m.max(x.abs()));
    let unit = if max > 0.0 {
        f32::from(i16::MAX) / max
    } else {
        1.0
    };
    // The query's signs around zero, laid out by the function that lays out the rows'.
    let mut signs_of_query = Vec::with_capacity(query.len().div_ceil(8));
    signs(query, &vec![0.0; query.len()], &mut signs_of_query);
    BitTable {
        signs: signs_of_query,
        twice_unit: 2.0 / unit,
        sums: sums
            .chunks_exact(256)
            .map(|t| std::array::from_fn(|b| (t[b] * unit).round() as i16))
            .collect(),
        total: query.iter().sum(),
    }
}

impl BitTable {
    /// `Σ q_i · (±1)_i` for one row of sign bits.
    fn score(&self, row: &[u8]) -> f32 {
        // A byte indexes a 256-entry array and `j + 3 < n` bounds both slices: the
        // compiler drops the bounds checks. Four sums keep the loads independent.
        let n = row.len().min(self.sums.len());
        let (row, sums) = (&row[..n], &self.sums[..n]);
        let look = |j: usize| i32::from(sums[j][usize::from(row[j])]);
        let mut acc = [0i32; 4];
        let mut j = 0;
        while j + 4 <= n {
            acc[0] += look(j);
            acc[1] += look(j + 1);
            acc[2] += look(j + 2);
            acc[3] += look(j + 3);
            j += 4;
        }
        for j in j..n {
            acc[0] += look(j);
        }
        (acc[0] + acc[1] + acc[2] + acc[3]) as f32 * self.twice_unit - self.total
    }
}

/// Sets `out` to the Hamming distance of every `width`-byte row in `rows` to `query`:
/// `popcnt` where the CPU has it (checked at run time).
fn hamming_rows(rows: &[u8], width: usize, query: &[u8], out: &mut Vec<u16>) {
    out.clear();
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("popcnt") {
        return hamming_rows_popcnt_dispatch(rows, width, query, out);
    }
    hamming_rows_portable(rows, width, query, out)
}

#[inline(always)]
fn hamming_rows_portable(rows: &[u8], width: usize, query: &[u8], out: &mut Vec<u16>) {
    // 384 dimensions (every model in the catalogue) get a loop of fixed length.
    if width == 48 {
        return hamming_rows_fixed::<6>(rows, query, out);
    }
    out.extend(rows.chunks_exact(width.max(1)).map(|row| {
        let pairs = row.iter().zip(query);
        pairs.map(|(a, b)| (a ^ b).count_ones()).sum::<u32>() as u16
    }));
}

/// Rows of `W` 64-bit words: `W` loads, XORs and population counts a row.
#[inline(always)]
fn hamming_rows_fixed<const W: usize>(rows: &[u8], query: &[u8], out: &mut Vec<u16>) {
    let word = |b: &[u8], j: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[8 * j..8 * j + 8]);
        u64::from_le_bytes(w)
    };
    let q: [u64; W] = std::array::from_fn(|j| word(query, j));
    out.extend(rows.chunks_exact(8 * W).map(|row| {
        let mut d = 0;
        for (j, qw) in q.iter().enumerate() {
            d += (word(row, j) ^ qw).count_ones();
        }
        d as u16
    }));
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn hamming_rows_popcnt_dispatch(rows: &[u8], width: usize, query: &[u8], out: &mut Vec<u16>) {
    // SAFETY: only called after `popcnt` was detected on this CPU.
    unsafe { hamming_rows_popcnt(rows, width, query, out) }
}

/// The portable loop, compiled with `count_ones` as one `popcnt` instruction.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn hamming_rows_popcnt(rows: &[u8], width: usize, query: &[u8], out: &mut Vec<u16>) {
    hamming_rows_portable(rows, width, query, out)
}

/// Offers row `i` with score `s` to a min-heap that keeps the best `k`.
fn offer(heap: &mut BinaryHeap<Entry>, k: usize, s: f32, i: usize) {
    if heap.len() < k {
        heap.push(Entry(s, i));
    } else if heap.peek().is_some_and(|min| s > min.0) {
        heap.pop();
        heap.push(Entry(s, i));
    }
}

/// Threads for a scan of `rows` vectors: one below ~50k rows (a thread costs more than
/// it saves there), else every core.
fn scan_threads(rows: usize) -> usize {
    if rows < 50_000 {
        1
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    }
}

/// Dot product: AVX2 + FMA where the CPU has them (checked at run time), else a
/// portable loop the compiler vectorizes for the baseline x86-64 / ARM target.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        return dot_avx2_dispatch(a, b);
    }
    dot_portable(a, b)
}

/// `out[r] = rows[r] · query` for a row-major block of `dim`-wide rows.
pub fn dots(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        return dots_avx2_dispatch(rows, dim, query, out);
    }
    for (o, row) in out.iter_mut().zip(rows.chunks_exact(dim.max(1))) {
        *o = dot_portable(row, query);
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn dots_avx2_dispatch(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    // SAFETY: only called after `has_avx2_fma()` confirmed both features on this CPU.
    unsafe { dots_avx2(rows, dim, query, out) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn dots_avx2(rows: &[f32], dim: usize, query: &[f32], out: &mut [f32]) {
    for (o, row) in out.iter_mut().zip(rows.chunks_exact(dim.max(1))) {
        *o = dot_avx2(row, query);
    }
}

/// The portable dot product: eight independent sums, so it vectorizes.
pub fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    // std caches the CPUID answer: this is a load and a mask after the first call.
    is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn dot_avx2_dispatch(a: &[f32], b: &[f32]) -> f32 {
    // SAFETY: only called after `has_avx2_fma()` confirmed both features on this CPU.
    unsafe { dot_avx2(a, b) }
}

/// Four 8-wide FMA accumulators; unaligned loads within the slices' bounds only.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[target_feature(enable = "avx2,fma")]
fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY (every load below): i + 8 <= n <= both lengths, so each 8-float read is
    // inside both slices; loadu has no alignment requirement.
    while i + 32 <= n {
        for (j, a_j) in acc.iter_mut().enumerate() {
            let o = i + 8 * j;
            *a_j = unsafe {
                _mm256_fmadd_ps(_mm256_loadu_ps(pa.add(o)), _mm256_loadu_ps(pb.add(o)), *a_j)
            };
        }
        i += 32;
    }
    while i + 8 <= n {
        acc[0] = unsafe {
            _mm256_fmadd_ps(
                _mm256_loadu_ps(pa.add(i)),
                _mm256_loadu_ps(pb.add(i)),
                acc[0],
            )
        };
        i += 8;
    }
    let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut lanes = [0f32; 8];
    // SAFETY: `lanes` holds exactly 8 floats.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), sum) };
    let mut s: f32 = lanes.iter().sum();
    for k in i..n {
        s += a[k] * b[k];
    }
    s
}

/// Dot product of int8 codes, in 32-bit integers: AVX2 where the CPU has it.
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        return dot_i8_avx2_dispatch(a, b);
    }
    dot_i8_portable(a, b)
}

/// The portable int8 dot product.
pub fn dot_i8_portable(a: &[i8], b: &[i8]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
fn dot_i8_avx2_dispatch(a: &[i8], b: &[i8]) -> i32 {
    // SAFETY: only called after `has_avx2_fma()` confirmed AVX2 on this CPU.
    unsafe { dot_i8_avx2(a, b) }
}

/// Sixteen codes at a time: widened to 16-bit, multiplied and pairwise added into eight
/// 32-bit sums (`madd`; |code| ≤ 127, so no pair overflows).
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[target_feature(enable = "avx2")]
fn dot_i8_avx2(a: &[i8], b: &[i8]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = _mm256_setzero_si256();
    let mut i = 0;
    while i + 16 <= n {
        // SAFETY: i + 16 <= n <= both lengths: each 16-byte read is inside both slices;
        // loadu has no alignment requirement.
        let (x, y) = unsafe {
            (
                _mm_loadu_si128(pa.add(i).cast()),
                _mm_loadu_si128(pb.add(i).cast()),
            )
        };
        let prod = _mm256_madd_epi16(_mm256_cvtepi8_epi16(x), _mm256_cvtepi8_epi16(y));
        acc = _mm256_add_epi32(acc, prod);
        i += 16;
    }
    let mut lanes = [0i32; 8];
    // SAFETY: `lanes` holds exactly 8 i32s.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), acc) };
    let mut s: i32 = lanes.iter().sum();
    for k in i..n {
        s += i32::from(a[k]) * i32::from(b[k]);
    }
    s
}

/// Scales a vector to unit length (zero vectors stay zero).
pub fn normalize(v: &mut [f32]) {
    let n = dot(v, v).sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random numbers in [-0.5, 0.5) (xorshift64).
    fn uniform(seed: u64) -> impl FnMut() -> f32 {
        let mut state = seed;
        move || (crate::rank::xorshift(&mut state) >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }

    fn unit(v: &[f32]) -> Vec<f32> {
        let mut v = v.to_vec();
        normalize(&mut v);
        v
    }

    #[test]
    fn top_k_is_exact_and_ordered() {
        let mut idx = VectorIndex::default();
        idx.upsert(10, &unit(&[1.0, 0.0, 0.0]));
        idx.upsert(11, &unit(&[0.7, 0.7, 0.0]));
        idx.upsert(12, &unit(&[0.0, 1.0, 0.0]));
        idx.upsert(13, &unit(&[-1.0, 0.0, 0.0]));
        let q = unit(&[1.0, 0.2, 0.0]);
        let got = idx.top_k(&q, 3, None);
        let ids: Vec<i64> = got.iter().map(|h| h.0).collect();
        assert_eq!(ids, vec![10, 11, 12]);
        assert!((got[0].1 - dot(&q, &unit(&[1.0, 0.0, 0.0]))).abs() < 1e-6);
        assert!(got[0].1 > got[1].1 && got[1].1 > got[2].1);
    }

    #[test]
    fn top_k_matches_brute_force_on_many_vectors() {
        // Deterministic pseudo-random vectors (xorshift), compared with a full sort.
        let mut next = uniform(0x2545_f491_4f6c_dd1du64);
        let dim = 37;
        let mut idx = VectorIndex::default();
        let mut all = Vec::new();
        for id in 0..500 {
            let v = unit(&(0..dim).map(|_| next()).collect::<Vec<_>>());
            idx.upsert(id, &v);
            all.push((id, v));
        }
        let q = unit(&(0..dim).map(|_| next()).collect::<Vec<_>>());
        let mut want: Vec<(i64, f32)> = all.iter().map(|(id, v)| (*id, dot(v, &q))).collect();
        want.sort_by(|a, b| b.1.total_cmp(&a.1));
        let got = idx.top_k(&q, 25, None);
        assert_eq!(
            got.iter().map(|h| h.0).collect::<Vec<_>>(),
            want[..25].iter().map(|h| h.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_int8_scan_returns_the_exact_top_k() {
        // Above INT8_MIN the int8 copy picks candidates; the exact re-scoring must give
        // the same papers and the same f32 cosines as scoring every f32 vector.
        let mut next = uniform(0x9e37_79b9_7f4a_7c15u64);
        let (dim, n) = (48, INT8_MIN + 500);
        let mut data = Vec::with_capacity(n * dim);
        for _ in 0..n {
            data.extend(unit(&(0..dim).map(|_| next()).collect::<Vec<_>>()));
        }
        let mut idx = VectorIndex::from_parts((0..n as i64).collect(), data, dim);
        assert!(idx.uses_int8());
        let allowed: HashSet<i64> = (0..n as i64).filter(|i| i % 3 == 0).collect();
        for _ in 0..10 {
            let q = unit(&(0..dim).map(|_| next()).collect::<Vec<_>>());
            for threads in [1, 2] {
                assert_eq!(
                    idx.top_k_with(&q, 10, None, threads),
                    idx.top_k_exact_with(&q, 10, None, threads)
                );
                assert_eq!(
                    idx.top_k_with(&q, 5, Some(&allowed), threads),
                    idx.top_k_exact_with(&q, 5, Some(&allowed), threads)
                );
            }
        }
        // Replaced and added vectors are searched through fresh codes.
        let target = unit(&(0..dim).map(|_| next()).collect::<Vec<_>>());
        idx.upsert(7, &target);
        idx.upsert(n as i64, &target.iter().map(|x| -x).collect::<Vec<_>>());
        assert_eq!(idx.top_k(&target, 1, None)[0].0, 7);
        let away: Vec<f32> = target.iter().map(|x| -x).collect();
        assert_eq!(idx.top_k(&away, 1, None)[0].0, n as i64);
    }

    /// Clustered unit vectors (`clusters` random centers plus noise), like embeddings.
    fn clustered(n: usize, dim: usize, clusters: usize, seed: u64) -> Vec<f32> {
        let mut next = uniform(seed);
        let centers: Vec<Vec<f32>> = (0..clusters)
            .map(|_| unit(&(0..dim).map(|_| next() + 0.3).collect::<Vec<_>>()))
            .collect();
        let mut data = Vec::with_capacity(n * dim);
        for i in 0..n {
            let c = &centers[i % clusters];
            data.extend(unit(
                &c.iter().map(|x| x + 0.15 * next()).collect::<Vec<_>>(),
            ));
        }
        data
    }

    #[test]
    fn a_bit_table_scores_as_the_signs_do() {
        let dim = 389;
        let q: Vec<f32> = (0..dim)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
            .collect();
        let v: Vec<f32> = (0..dim)
            .map(|i| ((i * 53 % 97) as f32 - 48.0) / 48.0)
            .collect();
        let center = vec![0.05f32; dim];
        let mut bits = Vec::new();
        let scale = signs(&v, &center, &mut bits);
        assert_eq!(bits.len(), dim.div_ceil(8));
        let want: f32 = q
            .iter()
            .zip(&v)
            .map(|(x, y)| if *y > 0.05 { *x } else { -x })
            .sum();
        let got = bit_table(&q).score(&bits);
        assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        let spread = v.iter().map(|y| (y - 0.05).abs()).sum::<f32>() / dim as f32;
        assert!((scale - spread).abs() < 1e-5);
    }

    #[test]
    fn the_sign_bit_scan_finds_the_exact_top_k() {
        // Sign bits are approximate: the exact top 10 must be found for (nearly) every
        // query, and the scores returned are exact cosines.
        let (dim, n) = (96, 30_000);
        let data = clustered(n, dim, 400, 0x9e37_79b9_7f4a_7c15);
        let mut idx = VectorIndex::from_parts((0..n as i64).collect(), data, dim);
        idx.rebuild_coarse(true);
        assert!(matches!(idx.coarse, Coarse::Bits { .. }));
        let queries = clustered(40, dim, 400, 0x1234_5678_9abc_def1);
        let allowed: HashSet<i64> = (0..n as i64).filter(|i| i % 3 == 0).collect();
        let (mut found, mut wanted) = (0, 0);
        for q in queries.chunks_exact(dim) {
            for (threads, filter) in [(1, None), (2, None), (2, Some(&allowed))] {
                let got = idx.top_k_with(q, 10, filter, threads);
                let exact = idx.top_k_exact_with(q, 10, filter, threads);
                assert_eq!(got.len(), 10);
                for (id, score) in &got {
                    assert!((score - dot(idx.get(*id).unwrap(), q)).abs() < 1e-6);
                    assert!(filter.is_none_or(|a| a.contains(id)));
                }
                found += exact.iter().filter(|e| got.contains(e)).count();
                wanted += exact.len();
            }
        }
        let recall = found as f64 / wanted as f64;
        assert!(recall >= 0.98, "recall@10 {recall}");
        // Replaced and added rows are scanned through fresh bits.
        let target = unit(
            &(0..dim)
                .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
                .collect::<Vec<_>>(),
        );
        idx.upsert(7, &target);
        let away: Vec<f32> = target.iter().map(|x| -x).collect();
        idx.upsert(n as i64, &away);
        assert_eq!(idx.top_k(&target, 1, None)[0].0, 7);
        assert_eq!(idx.top_k(&away, 1, None)[0].0, n as i64);
    }

    #[test]
    fn the_hamming_prefilter_keeps_about_the_rows_asked_for_and_the_best_of_them() {
        let (dim, n) = (384, 30_000);
        let data = clustered(n, dim, 400, 0x0bad_cafe_dead_beef);
        let mut idx = VectorIndex::from_parts((0..n as i64).collect(), data, dim);
        idx.rebuild_coarse(true);
        let Coarse::Bits { bits, scales, .. } = &idx.coarse else {
            panic!("expected sign bits")
        };
        let (mut found, mut wanted) = (0, 0);
        for q in clustered(20, dim, 400, 0x7777_1111_2222_3333).chunks_exact(dim) {
            let table = bit_table(q);
            let mut dist = Vec::new();
            hamming_rows(bits, dim / 8, &table.signs, &mut dist);
            for (d, row) in dist.iter().zip(bits.chunks_exact(dim / 8)).take(50) {
                let naive: u32 = row
                    .iter()
                    .zip(&table.signs)
                    .map(|(a, b)| (a ^ b).count_ones())
                    .sum();
                assert_eq!(u32::from(*d), naive);
            }
            // A quarter of the rows asked for: about that many lie within the bound.
            let limit = idx.bits_limit(bits, &table, 8_000, None);
            let within = dist.iter().filter(|d| usize::from(**d) <= limit).count();
            assert!(
                (6_000..=12_000).contains(&within),
                "{within} rows within {limit}"
            );
            let parts = idx.scan_bits_parts(bits, scales, q, 1_000, 8_000, None, 2);
            let got = idx.best(idx.rescored(parts, 1_000, q), 10);
            let exact = idx.top_k_exact_with(q, 10, None, 1);
            found += exact.iter().filter(|e| got.contains(e)).count();
            wanted += exact.len();
        }
        let recall = found as f64 / wanted as f64;
        // 0.95 here (0.96 scoring every row's bits; 0.81 with 300 of 3,000).
        assert!(recall >= 0.9, "recall@10 {recall}");
    }

    #[test]
    fn an_index_that_outgrows_its_int8_copy_switches_to_sign_bits() {
        let (dim, n) = (8, INT8_MAX);
        let data = clustered(n, dim, 1, 0x5151_2020_7777_abcd);
        let mut idx = VectorIndex::from_parts((0..n as i64).collect(), data, dim);
        assert!(idx.uses_int8());
        let target = unit(&[1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]);
        idx.upsert(n as i64, &target);
        match &idx.coarse {
            Coarse::Bits { bits, scales, .. } => {
                assert_eq!((bits.len(), scales.len()), (n + 1, n + 1));
            }
            other => panic!("expected sign bits, got {other:?}"),
        }
        let hit = idx.top_k(&target, 1, None);
        assert_eq!(hit[0].0, n as i64);
        assert!((hit[0].1 - 1.0).abs() < 1e-6);
    }

    #[test]
    fn int8_dot_products_agree() {
        let a: Vec<i8> = (0..389).map(|i| ((i * 37) % 255 - 127) as i8).collect();
        let b: Vec<i8> = (0..389).map(|i| ((i * 91) % 255 - 127) as i8).collect();
        assert_eq!(dot_i8(&a, &b), dot_i8_portable(&a, &b));
        assert_eq!(dot_i8(&[127; 16], &[-127; 16]), -127 * 127 * 16);
    }

    #[test]
    fn allowed_set_and_replacement() {
        let mut idx = VectorIndex::default();
        idx.upsert(1, &[1.0, 0.0]);
        idx.upsert(2, &[0.0, 1.0]);
        idx.upsert(1, &[0.0, 1.0]); // replaced, not duplicated
        assert_eq!(idx.len(), 2);
        let allowed: HashSet<i64> = [2].into();
        assert_eq!(idx.top_k(&[0.0, 1.0], 5, Some(&allowed)), vec![(2, 1.0)]);
        assert_eq!(idx.get(1), Some(&[0.0, 1.0][..]));
    }

    #[test]
    fn a_scan_split_across_threads_ranks_exactly_as_one_thread() {
        let mut idx = VectorIndex::default();
        let mut x = 12345u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 1000) as f32 / 1000.0 - 0.5
        };
        for id in 0..997 {
            let v: Vec<f32> = (0..16).map(|_| next()).collect();
            idx.upsert(id, &unit(&v));
        }
        let q = unit(&(0..16).map(|_| next()).collect::<Vec<_>>());
        let one = idx.top_k_with(&q, 10, None, 1);
        assert_eq!(one.len(), 10);
        for threads in [2, 3, 7] {
            assert_eq!(
                idx.top_k_with(&q, 10, None, threads),
                one,
                "{threads} threads"
            );
        }
        let allowed: HashSet<i64> = (0..997).filter(|i| i % 2 == 0).collect();
        let even = idx.top_k_with(&q, 5, Some(&allowed), 3);
        assert_eq!(even, idx.top_k_with(&q, 5, Some(&allowed), 1));
        assert!(even.iter().all(|(id, _)| id % 2 == 0));
    }

    #[test]
    fn the_simd_dot_product_agrees_with_the_portable_one() {
        for n in [0usize, 1, 7, 8, 31, 32, 33, 384, 385] {
            let a: Vec<f32> = (0..n)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0)
                .collect();
            let b: Vec<f32> = (0..n)
                .map(|i| ((i * 53 % 97) as f32 - 48.0) / 48.0)
                .collect();
            let (fast, slow) = (dot(&a, &b), dot_portable(&a, &b));
            assert!(
                (fast - slow).abs() <= 1e-4 * (1.0 + slow.abs()),
                "n={n}: {fast} vs {slow}"
            );
        }
    }
}
