//! In-process ranking costs (`cargo bench -p papersift-core`): the dot products, the
//! top-k scan at the library sizes of issue 6 (10k and 75k vectors; exact, and the int8
//! scan re-scored exactly that indexes from 20k use), hybrid fusion of two 100-long
//! lists, and turning typed text into an FTS5 query.
//!
//! The vectors are synthetic: 384 components from a fixed-seed xorshift generator,
//! L2-normalized, like a MiniLM index in size and layout. Whole runs over real data
//! (query embedding included) are the CLI's `bench-index` and `bench-search`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use papersift_core::rank::fusion::{fuse_convex, fuse_rrf};
use papersift_core::rank::keyword::fts_query;
use papersift_core::rank::vector::{
    dot, dot_i8, dot_i8_portable, dot_portable, normalize, VectorIndex,
};
use std::hint::black_box;

const DIM: usize = 384;

/// Fixed-seed unit vectors, `n` of them, row-major.
fn vectors(n: usize, seed: u64) -> Vec<f32> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let mut data: Vec<f32> = (0..n * DIM).map(|_| next()).collect();
    for row in data.chunks_mut(DIM) {
        normalize(row);
    }
    data
}

fn bench_dot(c: &mut Criterion) {
    let v = vectors(2, 7);
    let (a, b) = v.split_at(DIM);
    let mut g = c.benchmark_group("dot");
    g.bench_function("simd", |x| x.iter(|| dot(black_box(a), black_box(b))));
    g.bench_function("portable", |x| {
        x.iter(|| dot_portable(black_box(a), black_box(b)))
    });
    let codes: Vec<i8> = v
        .iter()
        .map(|x| (x * 127.0 * 8.0).clamp(-127.0, 127.0) as i8)
        .collect();
    let (ca, cb) = codes.split_at(DIM);
    g.bench_function("int8_simd", |x| {
        x.iter(|| dot_i8(black_box(ca), black_box(cb)))
    });
    g.bench_function("int8_portable", |x| {
        x.iter(|| dot_i8_portable(black_box(ca), black_box(cb)))
    });
    g.finish();
}

fn bench_top_k(c: &mut Criterion) {
    let query = vectors(1, 99);
    let mut g = c.benchmark_group("top_k");
    g.sample_size(20);
    // 450k is above the int8 copy's bound: its default path scans sign bits.
    for n in [10_000usize, 75_000, 450_000] {
        let index = VectorIndex::from_parts((0..n as i64).collect(), vectors(n, n as u64), DIM);
        g.throughput(Throughput::Elements(n as u64));
        for threads in [1usize, 2] {
            // The default path (an int8 scan re-scored exactly from 20k vectors, sign
            // bits above 400k) and every f32 vector scored.
            g.bench_with_input(
                BenchmarkId::new(format!("{threads}_thread"), n),
                &index,
                |x, index| x.iter(|| index.top_k_with(black_box(&query), 100, None, threads)),
            );
            g.bench_with_input(
                BenchmarkId::new(format!("exact_{threads}_thread"), n),
                &index,
                |x, index| x.iter(|| index.top_k_exact_with(black_box(&query), 100, None, threads)),
            );
        }
    }
    g.finish();
}

fn bench_fusion(c: &mut Criterion) {
    // Two 100-long lists that share half their papers, scores falling with rank.
    let dense: Vec<(i64, f32)> = (0..100).map(|i| (i, 0.9 - i as f32 * 0.004)).collect();
    let keyword: Vec<(i64, f64)> = (50..150)
        .map(|i| (i, 30.0 - (i - 50) as f64 * 0.2))
        .collect();
    let mut g = c.benchmark_group("fusion");
    g.bench_function("convex", |x| {
        x.iter(|| fuse_convex(black_box(&dense), black_box(&keyword), 0.4, 20))
    });
    g.bench_function("rrf", |x| {
        x.iter(|| fuse_rrf(black_box(&dense), black_box(&keyword), 60.0, 20))
    });
    g.finish();
}

fn bench_fts_query(c: &mut Criterion) {
    let text = "Sparse attention with learned routing for long-document summarization of scientific papers";
    c.bench_function("fts_query", |x| x.iter(|| fts_query(black_box(text))));
}

criterion_group!(
    benches,
    bench_dot,
    bench_top_k,
    bench_fusion,
    bench_fts_query
);
criterion_main!(benches);
