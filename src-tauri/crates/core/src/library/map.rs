//! The library map as the app draws it: the cached layout (recomputed when the set of
//! embedded papers changes) joined with titles, categories and reading lists.

use super::Library;
use crate::layout::{layout, MapPoint};
use crate::locks::RwLockAny;
use crate::Result;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Categories coloured on the map; the rest are "other".
const MAP_CATEGORIES: usize = 9;

/// The map, column by column (compact over IPC): point `i` is `keys[i]` at
/// `(xs[i], ys[i])`, coloured by `categories[groups[i]]` (`groups[i] ==
/// categories.len()` is "other").
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LibraryMap {
    /// Paper keys.
    pub keys: Vec<String>,
    /// Titles.
    pub titles: Vec<String>,
    /// The titles with formulas: point index and where the formulas sit.
    pub title_math: Vec<(u32, Vec<crate::tex::MathSpan>)>,
    /// Horizontal positions in `[0, 1]`.
    pub xs: Vec<f32>,
    /// Vertical positions in `[0, 1]`.
    pub ys: Vec<f32>,
    /// Category index of each point.
    pub groups: Vec<u16>,
    /// The most common primary categories, most common first.
    pub categories: Vec<String>,
    /// Reading lists and the points in them.
    pub lists: Vec<MapList>,
    /// Papers not on the map yet (waiting for a vector).
    pub unplaced: usize,
    /// How this answer was made.
    pub layout: MapLayout,
}

/// How a map was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum MapLayout {
    /// Read from the cache: nothing changed.
    #[default]
    Cached,
    /// The cached layout, with new papers placed beside their nearest neighbours.
    Extended,
    /// Laid out from scratch.
    Computed,
}

/// The cached points plus every indexed paper they lack, each placed beside its most
/// similar placed paper (with a small offset derived from its id, so it is repeatable).
fn extend(index: &crate::rank::VectorIndex, kept: Vec<MapPoint>) -> Vec<MapPoint> {
    let placed: HashMap<i64, (f32, f32)> = kept.iter().map(|p| (p.id, (p.x, p.y))).collect();
    let allowed: std::collections::HashSet<i64> = placed.keys().copied().collect();
    let mut points = kept;
    for (id, v) in index.rows() {
        if placed.contains_key(&id) {
            continue;
        }
        let Some(&(near, _)) = index.top_k(v, 1, Some(&allowed)).first() else {
            continue;
        };
        let (x, y) = placed[&near];
        let h = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let jitter = |bits: u64| ((bits & 0xFFFF) as f32 / 65_535.0 - 0.5) * 0.01;
        points.push(MapPoint {
            id,
            x: (x + jitter(h)).clamp(0.0, 1.0),
            y: (y + jitter(h >> 16)).clamp(0.0, 1.0),
        });
    }
    points
}

/// A reading list's points.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MapList {
    /// List id.
    pub id: i64,
    /// List name.
    pub name: String,
    /// Indices into the map's columns.
    pub members: Vec<u32>,
}

/// What a cached layout was computed from.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct MapMeta {
    model: String,
    count: usize,
    id_sum: i64,
    id_xor: i64,
}

impl Library {
    /// The map of every embedded paper. Lays the library out (seconds for tens of
    /// thousands of papers, reported through `progress` out of 100) when the embedded
    /// papers changed since the cached layout; otherwise reads the cache.
    pub fn map(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<LibraryMap> {
        let model = self
            .embedder()
            .map(|e| e.model_id().to_string())
            .unwrap_or_default();
        // Read under the index's lock: only a full layout copies the vectors out (it
        // takes seconds, and embedding must not wait that long to write).
        let index = self.index.read_any();
        let meta = MapMeta {
            model,
            count: index.len(),
            id_sum: index.rows().fold(0i64, |a, (id, _)| a.wrapping_add(id)),
            id_xor: index.rows().fold(0i64, |a, (id, _)| a ^ id),
        };
        let cached: Option<MapMeta> = self.setting("map.meta")?;
        let fingerprint = serde_json::to_string(&meta)
            .map_err(|e| crate::Error::Internal(format!("map fingerprint: {e}")))?;
        if cached.as_ref() == Some(&meta) {
            drop(index);
            let points = self.store().map_points()?;
            return self.assemble_map(&points, MapLayout::Cached);
        }
        // A few new papers (after a sync) join the existing picture beside their nearest
        // neighbour; a changed model or a much changed library is laid out again.
        if cached.as_ref().is_some_and(|c| c.model == meta.model) {
            let kept: Vec<MapPoint> = self
                .store()
                .map_points()?
                .into_iter()
                .filter(|p| index.get(p.id).is_some())
                .collect();
            if kept.len() * 10 >= index.len() * 9 && !kept.is_empty() {
                let points = extend(&index, kept);
                drop(index);
                self.store().replace_map(&points, &fingerprint)?;
                return self.assemble_map(&points, MapLayout::Extended);
            }
        }
        let copy = index.clone();
        drop(index);
        // In paper order, as the cache is read back: the layout does not depend on the
        // order papers happened to be embedded in.
        let mut rows: Vec<(i64, &[f32])> = copy.rows().collect();
        rows.sort_unstable_by_key(|r| r.0);
        let points = layout(&rows, progress);
        self.store().replace_map(&points, &fingerprint)?;
        self.assemble_map(&points, MapLayout::Computed)
    }

    fn assemble_map(&self, points: &[MapPoint], how: MapLayout) -> Result<LibraryMap> {
        let (labels, lists) = {
            let store = self.store();
            let labels = store.map_labels()?;
            let lists = store
                .lists()?
                .into_iter()
                .map(|l| Ok((l.id, l.name, store.list_paper_ids(l.id)?)))
                .collect::<Result<Vec<_>>>()?;
            (labels, lists)
        };
        let total = labels.len();
        let labels: HashMap<i64, _> = labels.into_iter().map(|l| (l.id, l)).collect();
        let mut map = LibraryMap {
            layout: how,
            ..LibraryMap::default()
        };
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut at: HashMap<i64, u32> = HashMap::with_capacity(points.len());
        let mut cats = Vec::with_capacity(points.len());
        for p in points {
            let Some(l) = labels.get(&p.id) else { continue };
            at.insert(p.id, map.keys.len() as u32);
            map.keys.push(l.key.clone());
            if !l.title_math.is_empty() {
                map.title_math
                    .push((map.titles.len() as u32, l.title_math.clone()));
            }
            map.titles.push(l.title.clone());
            map.xs.push(p.x);
            map.ys.push(p.y);
            let cat = l.category.as_deref().unwrap_or("");
            if !cat.is_empty() {
                *counts.entry(cat).or_default() += 1;
            }
            cats.push(cat);
        }
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        map.categories = ranked
            .iter()
            .take(MAP_CATEGORIES)
            .map(|(c, _)| c.to_string())
            .collect();
        let other = map.categories.len() as u16;
        map.groups = cats
            .iter()
            .map(|c| {
                map.categories
                    .iter()
                    .position(|k| k == c)
                    .map_or(other, |i| i as u16)
            })
            .collect();
        map.lists = lists
            .into_iter()
            .map(|(id, name, ids)| MapList {
                id,
                name,
                members: ids.iter().filter_map(|i| at.get(i).copied()).collect(),
            })
            .collect();
        map.unplaced = total - map.keys.len();
        Ok(map)
    }
}
