//! The library map: a 2-D picture of the embedding space where nearby papers are about
//! the same thing. Pure functions over vectors; no storage, no UI.
//!
//! Steps: PCA to a few dimensions (subspace iteration on a sampled covariance), exact k
//! nearest neighbours in that space, then a UMAP-style layout (attraction along
//! neighbour edges, repulsion from random samples) started from the first two principal
//! components. Above [`LANDMARKS`] papers the layout is computed for a deterministic
//! sample and every other paper is placed beside its nearest sampled neighbour, so a
//! 75k-paper library costs seconds, not minutes. Deterministic for the same input.

/// Dimensions kept by the PCA step.
const PCA_DIMS: usize = 16;
/// Neighbours per point in the layout graph.
const NEIGHBOURS: usize = 10;
/// Most points laid out directly; the rest are placed by their nearest landmark.
pub const LANDMARKS: usize = 12_000;
/// Rows used to estimate the covariance.
const COV_SAMPLE: usize = 5_000;
/// Layout epochs.
const EPOCHS: usize = 200;
/// Repulsion samples per attraction step.
const NEGATIVES: usize = 3;
// UMAP's curve for min_dist 0.1, spread 1.
const A: f32 = 1.577;
const B: f32 = 0.895;

/// A point of the map, in `[0, 1]²`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    /// Paper row id.
    pub id: i64,
    /// Horizontal position.
    pub x: f32,
    /// Vertical position.
    pub y: f32,
}

/// Small deterministic generator (xorshift64*): the layout must not change between runs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Lays out `rows` (`(id, vector)`, all of one dimension). `progress(done, total)` is
/// called between stages (out of 100).
pub fn layout(rows: &[(i64, &[f32])], progress: &mut dyn FnMut(usize, usize)) -> Vec<MapPoint> {
    layout_with(rows, LANDMARKS, progress)
}

fn layout_with(
    rows: &[(i64, &[f32])],
    max_landmarks: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<MapPoint> {
    let n = rows.len();
    match n {
        0 => return Vec::new(),
        1 => {
            return vec![MapPoint {
                id: rows[0].0,
                x: 0.5,
                y: 0.5,
            }]
        }
        _ => {}
    }
    let dim = rows[0].1.len();
    let started = std::time::Instant::now();
    progress(0, 100);
    let reduced = pca(rows, dim, PCA_DIMS.min(dim));
    let p = PCA_DIMS.min(dim);
    progress(15, 100);
    // Landmarks: every point when few, else an even stride through the library.
    let landmarks: Vec<usize> = if n <= max_landmarks {
        (0..n).collect()
    } else {
        (0..max_landmarks).map(|i| i * n / max_landmarks).collect()
    };
    let lp: Vec<f32> = landmarks
        .iter()
        .flat_map(|&i| reduced[i * p..(i + 1) * p].iter().copied())
        .collect();
    let k = NEIGHBOURS.min(landmarks.len() - 1);
    let graph = knn(&lp, p, k);
    log::debug!(
        "map: PCA and {k}-NN of {} landmarks in {:?}",
        landmarks.len(),
        started.elapsed()
    );
    progress(45, 100);
    let mut pos: Vec<[f32; 2]> = (0..landmarks.len())
        .map(|i| [lp[i * p], lp[i * p + 1.min(p - 1)]])
        .collect();
    normalize(&mut pos, 10.0);
    optimize(&mut pos, &graph, k);
    log::debug!("map: layout done at {:?}", started.elapsed());
    progress(85, 100);
    let mut all = vec![[0f32; 2]; n];
    let mut placed = vec![false; n];
    for (j, &i) in landmarks.iter().enumerate() {
        all[i] = pos[j];
        placed[i] = true;
    }
    if n > landmarks.len() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let rest: Vec<usize> = (0..n).filter(|&i| !placed[i]).collect();
        let nearest = nearest_landmark(&reduced, p, &rest, &lp);
        for (&i, &j) in rest.iter().zip(&nearest) {
            all[i] = [
                pos[j][0] + (rng.unit() - 0.5) * 0.15,
                pos[j][1] + (rng.unit() - 0.5) * 0.15,
            ];
        }
    }
    normalize(&mut all, 1.0);
    log::debug!("map: {n} points placed in {:?}", started.elapsed());
    progress(100, 100);
    rows.iter()
        .zip(all)
        .map(|((id, _), [x, y])| MapPoint { id: *id, x, y })
        .collect()
}

/// Projects rows onto their top `p` principal components (row-major `n × p`).
fn pca(rows: &[(i64, &[f32])], dim: usize, p: usize) -> Vec<f32> {
    let n = rows.len();
    let mut mean = vec![0f64; dim];
    for (_, v) in rows {
        for (m, x) in mean.iter_mut().zip(v.iter()) {
            *m += f64::from(*x);
        }
    }
    let mean: Vec<f32> = mean.iter().map(|m| (m / n as f64) as f32).collect();
    // Covariance from an even sample of rows.
    let step = (n / COV_SAMPLE).max(1);
    let mut cov = vec![0f32; dim * dim];
    let mut centred = vec![0f32; dim];
    for (_, v) in rows.iter().step_by(step) {
        for (c, (x, m)) in centred.iter_mut().zip(v.iter().zip(&mean)) {
            *c = x - m;
        }
        for a in 0..dim {
            let ca = centred[a];
            let row = &mut cov[a * dim..(a + 1) * dim];
            for (r, cb) in row.iter_mut().zip(&centred) {
                *r += ca * cb;
            }
        }
    }
    // Subspace iteration: Q ← orth(C·Q).
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut q: Vec<Vec<f32>> = (0..p)
        .map(|_| (0..dim).map(|_| rng.unit() - 0.5).collect())
        .collect();
    orthonormalize(&mut q);
    for _ in 0..40 {
        for col in q.iter_mut() {
            let next: Vec<f32> = (0..dim)
                .map(|a| dot(&cov[a * dim..(a + 1) * dim], col))
                .collect();
            *col = next;
        }
        orthonormalize(&mut q);
    }
    let mut out = vec![0f32; n * p];
    for (i, (_, v)) in rows.iter().enumerate() {
        for (c, (x, m)) in centred.iter_mut().zip(v.iter().zip(&mean)) {
            *c = x - m;
        }
        for (j, col) in q.iter().enumerate() {
            out[i * p + j] = dot(&centred, col);
        }
    }
    out
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn orthonormalize(q: &mut [Vec<f32>]) {
    for i in 0..q.len() {
        for j in 0..i {
            let d = dot(&q[i], &q[j]);
            let (head, tail) = q.split_at_mut(i);
            for (x, y) in tail[0].iter_mut().zip(&head[j]) {
                *x -= d * y;
            }
        }
        let norm = dot(&q[i], &q[i]).sqrt().max(1e-12);
        q[i].iter_mut().for_each(|x| *x /= norm);
    }
}

fn dist2(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Exact k nearest neighbours of every point (row-major `n × k` indices), on all cores.
fn knn(points: &[f32], p: usize, k: usize) -> Vec<usize> {
    let n = points.len() / p;
    let mut out = vec![0usize; n * k];
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1);
    let per = n.div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for (t, chunk) in out.chunks_mut(per * k).enumerate() {
            s.spawn(move || {
                let mut best: Vec<(f32, usize)> = Vec::with_capacity(k + 1);
                for (r, slot) in chunk.chunks_mut(k).enumerate() {
                    let i = t * per + r;
                    let a = &points[i * p..(i + 1) * p];
                    best.clear();
                    for j in 0..n {
                        if j == i {
                            continue;
                        }
                        let d = dist2(a, &points[j * p..(j + 1) * p]);
                        if best.len() < k || d < best[best.len() - 1].0 {
                            let at = best.partition_point(|e| e.0 <= d);
                            best.insert(at, (d, j));
                            best.truncate(k);
                        }
                    }
                    for (s, (_, j)) in slot.iter_mut().zip(&best) {
                        *s = *j;
                    }
                }
            });
        }
    });
    out
}

/// For each of `rest`, the index of its nearest landmark, on all cores.
fn nearest_landmark(reduced: &[f32], p: usize, rest: &[usize], landmarks: &[f32]) -> Vec<usize> {
    let m = landmarks.len() / p;
    let mut out = vec![0usize; rest.len()];
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1);
    let per = rest.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for (chunk, idx) in out.chunks_mut(per).zip(rest.chunks(per)) {
            s.spawn(move || {
                for (slot, &i) in chunk.iter_mut().zip(idx) {
                    let a = &reduced[i * p..(i + 1) * p];
                    let mut best = (f32::INFINITY, 0);
                    for j in 0..m {
                        let d = dist2(a, &landmarks[j * p..(j + 1) * p]);
                        if d < best.0 {
                            best = (d, j);
                        }
                    }
                    *slot = best.1;
                }
            });
        }
    });
    out
}

/// Centres the points and scales them to fit a box of side `side` (a square, keeping
/// the aspect ratio), then shifts a `side = 1` box to `[0, 1]²`.
fn normalize(pos: &mut [[f32; 2]], side: f32) {
    let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for p in pos.iter() {
        for d in 0..2 {
            lo[d] = lo[d].min(p[d]);
            hi[d] = hi[d].max(p[d]);
        }
    }
    let span = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-9);
    for p in pos.iter_mut() {
        for d in 0..2 {
            let centred = (p[d] - (lo[d] + hi[d]) / 2.0) / span;
            p[d] = if side == 1.0 {
                // Rounding can put the extreme points a hair outside the box.
                (centred + 0.5).clamp(0.0, 1.0)
            } else {
                centred * side
            };
        }
    }
}

/// UMAP-style stochastic layout: neighbours attract, random pairs repel.
fn optimize(pos: &mut [[f32; 2]], graph: &[usize], k: usize) {
    let n = pos.len();
    if k == 0 {
        return;
    }
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for epoch in 0..EPOCHS {
        let lr = 1.0 - epoch as f32 / EPOCHS as f32;
        for i in 0..n {
            for &j in &graph[i * k..(i + 1) * k] {
                let d = [pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]];
                let d2 = d[0] * d[0] + d[1] * d[1];
                if d2 > 0.0 {
                    // d²ᵇ⁻² is d²ᵇ / d²: one powf per edge.
                    let d2b = d2.powf(B);
                    let g = -2.0 * A * B * (d2b / d2) / (1.0 + A * d2b);
                    for c in 0..2 {
                        let step = (g * d[c]).clamp(-4.0, 4.0) * lr;
                        pos[i][c] += step;
                        pos[j][c] -= step;
                    }
                }
                for _ in 0..NEGATIVES {
                    let m = rng.below(n);
                    if m == i {
                        continue;
                    }
                    let d = [pos[i][0] - pos[m][0], pos[i][1] - pos[m][1]];
                    let d2 = d[0] * d[0] + d[1] * d[1];
                    let g = 2.0 * B / ((0.001 + d2) * (1.0 + A * d2.powf(B)));
                    for c in 0..2 {
                        pos[i][c] += (g * d[c]).clamp(-4.0, 4.0) * lr;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `groups` clusters of `per` unit vectors around well-separated centres.
    fn clusters(groups: usize, per: usize, dim: usize) -> Vec<(i64, Vec<f32>)> {
        let mut rng = Rng(7);
        let mut out = Vec::new();
        for g in 0..groups {
            for i in 0..per {
                let mut v: Vec<f32> = (0..dim).map(|_| (rng.unit() - 0.5) * 0.2).collect();
                v[g * 3 % dim] += 1.0;
                let norm = dot(&v, &v).sqrt();
                v.iter_mut().for_each(|x| *x /= norm);
                out.push(((g * per + i) as i64, v));
            }
        }
        out
    }

    fn run(data: &[(i64, Vec<f32>)]) -> Vec<MapPoint> {
        let rows: Vec<(i64, &[f32])> = data.iter().map(|(i, v)| (*i, v.as_slice())).collect();
        layout(&rows, &mut |_, _| {})
    }

    fn centre(points: &[MapPoint]) -> (f32, f32) {
        let n = points.len() as f32;
        (
            points.iter().map(|p| p.x).sum::<f32>() / n,
            points.iter().map(|p| p.y).sum::<f32>() / n,
        )
    }

    fn spread(points: &[MapPoint]) -> f32 {
        let (cx, cy) = centre(points);
        points
            .iter()
            .map(|p| ((p.x - cx).powi(2) + (p.y - cy).powi(2)).sqrt())
            .sum::<f32>()
            / points.len() as f32
    }

    #[test]
    fn clusters_stay_apart_and_points_fit_the_unit_square() {
        let data = clusters(3, 60, 32);
        let points = run(&data);
        assert_eq!(points.len(), 180);
        assert!(points
            .iter()
            .all(|p| (0.0..=1.0).contains(&p.x) && (0.0..=1.0).contains(&p.y)));
        assert_eq!(points[17].id, 17);
        let groups: Vec<&[MapPoint]> = points.chunks(60).collect();
        let centres: Vec<(f32, f32)> = groups.iter().map(|g| centre(g)).collect();
        let within = groups.iter().map(|g| spread(g)).fold(0f32, f32::max);
        for a in 0..3 {
            for b in a + 1..3 {
                let d = ((centres[a].0 - centres[b].0).powi(2)
                    + (centres[a].1 - centres[b].1).powi(2))
                .sqrt();
                assert!(
                    d > 2.0 * within,
                    "clusters {a} and {b}: centres {d} apart, spread {within}"
                );
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_map() {
        let data = clusters(2, 30, 16);
        assert_eq!(run(&data), run(&data));
    }

    #[test]
    fn tiny_libraries_have_a_map() {
        assert!(run(&[]).is_empty());
        let one = run(&[(5, vec![1.0, 0.0])]);
        assert_eq!(
            one,
            vec![MapPoint {
                id: 5,
                x: 0.5,
                y: 0.5
            }]
        );
        let two = run(&[(1, vec![1.0, 0.0]), (2, vec![0.0, 1.0])]);
        assert_eq!(two.len(), 2);
        assert_ne!((two[0].x, two[0].y), (two[1].x, two[1].y));
    }

    #[test]
    fn large_libraries_place_the_rest_beside_their_landmarks() {
        // Over the landmark limit: the extra papers must land in their cluster.
        let per = 300;
        let data = clusters(2, per, 8);
        let rows: Vec<(i64, &[f32])> = data.iter().map(|(i, v)| (*i, v.as_slice())).collect();
        let points = layout_with(&rows, 100, &mut |_, _| {});
        assert_eq!(points.len(), 2 * per);
        let (a, b) = points.split_at(per);
        let (ca, cb) = (centre(a), centre(b));
        let closer_to_own = a
            .iter()
            .filter(|p| {
                (p.x - ca.0).powi(2) + (p.y - ca.1).powi(2)
                    < (p.x - cb.0).powi(2) + (p.y - cb.1).powi(2)
            })
            .count();
        assert!(
            closer_to_own as f32 > 0.95 * per as f32,
            "{closer_to_own}/{per}"
        );
    }
}
