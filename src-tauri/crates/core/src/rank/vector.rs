//! The dense index: all vectors of one model in one contiguous, row-major `f32` matrix,
//! searched by dot product (vectors are L2-normalized, so this is cosine).
//!
//! Indexes of 20k–400k vectors also keep an int8 copy (one scale per row): a search
//! scans it (a quarter of the memory traffic, which bounds the scan) for the best few
//! hundred candidates and re-scores those exactly, so the scores returned are the `f32`
//! cosines. Larger indexes scan the `f32` matrix alone, keeping memory at 4 bytes per
//! dimension.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// An exact in-memory vector index keyed by paper row id.
#[derive(Debug, Default, Clone)]
pub struct VectorIndex {
    dim: usize,
    ids: Vec<i64>,
    data: Vec<f32>,
    pos: HashMap<i64, usize>,
    /// The int8 copy, row-major (empty when not kept), and each row's scale.
    codes: Vec<i8>,
    scales: Vec<f32>,
}

/// Indexes of at least this many vectors search their int8 copy first.
const INT8_MIN: usize = 20_000;
/// Indexes above this many vectors keep no int8 copy (memory).
const INT8_MAX: usize = 400_000;
/// Candidates re-scored exactly: this many times `k`, and at least `RESCORE_MIN`.
const RESCORE_FACTOR: usize = 8;
const RESCORE_MIN: usize = 200;

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
            codes: Vec::new(),
            scales: Vec::new(),
        };
        if index.len() <= INT8_MAX && dim > 0 {
            index.codes.reserve(index.data.len());
            for row in index.data.chunks_exact(dim) {
                let scale = quantize(row, &mut index.codes);
                index.scales.push(scale);
            }
        }
        index
    }

    /// Whether searches scan the int8 copy first.
    fn uses_int8(&self) -> bool {
        self.len() >= INT8_MIN && self.scales.len() == self.len()
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
        if self.len() > INT8_MAX {
            self.codes = Vec::new();
            self.scales = Vec::new();
        } else if row == self.scales.len() {
            let scale = quantize(v, &mut self.codes);
            self.scales.push(scale);
        } else if row < self.scales.len() {
            let mut codes = Vec::with_capacity(self.dim);
            self.scales[row] = quantize(v, &mut codes);
            self.codes[row * self.dim..(row + 1) * self.dim].copy_from_slice(&codes);
        }
    }

    /// The `k` most similar papers to `query`, best first, as `(row id, cosine)`.
    /// With `allowed`, only those ids are considered. Large indexes are scanned on every
    /// core, each thread keeping its own best; indexes with an int8 copy pick
    /// candidates from it and re-score them exactly (see the module documentation).
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
        if !self.uses_int8() {
            return self.top_k_exact_with(query, k, allowed, threads);
        }
        let mut q = Vec::with_capacity(self.dim);
        // The query's scale is common to every candidate's score: left out.
        quantize(query, &mut q);
        let want = (k * RESCORE_FACTOR).max(RESCORE_MIN);
        let mut entries = self.scan_parts(threads, |from, to| {
            self.scan_int8(&q, want, allowed, from, to)
        });
        for e in &mut entries {
            e.0 = dot(&self.data[e.1 * self.dim..(e.1 + 1) * self.dim], query);
        }
        self.best(entries, k)
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
    fn scan_int8(
        &self,
        query: &[i8],
        k: usize,
        allowed: Option<&HashSet<i64>>,
        from: usize,
        to: usize,
    ) -> Vec<Entry> {
        let mut heap: BinaryHeap<Entry> = BinaryHeap::with_capacity(k + 1);
        for i in from..to {
            if self.admits(allowed, i) {
                let codes = &self.codes[i * self.dim..(i + 1) * self.dim];
                offer(
                    &mut heap,
                    k,
                    dot_i8(codes, query) as f32 * self.scales[i],
                    i,
                );
            }
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
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
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
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        };
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
