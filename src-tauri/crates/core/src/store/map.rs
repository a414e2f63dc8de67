//! The `map_points` table (the library map's cached layout) and the labels the map
//! shows for each paper.

use super::Store;
use crate::layout::MapPoint;
use crate::Result;
use rusqlite::params;

/// What the map shows of one paper.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLabel {
    /// Row id.
    pub id: i64,
    /// Library key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Primary category, if any.
    pub category: Option<String>,
    /// Formulas in the title.
    pub title_math: Vec<crate::tex::MathSpan>,
}

impl Store {
    /// The cached layout.
    pub fn map_points(&self) -> Result<Vec<MapPoint>> {
        let mut stmt = self
            .conn
            .prepare("SELECT paper_id, x, y FROM map_points ORDER BY paper_id")?;
        let rows = stmt.query_map([], |r| {
            Ok(MapPoint {
                id: r.get(0)?,
                x: r.get::<_, f64>(1)? as f32,
                y: r.get::<_, f64>(2)? as f32,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces the cached layout and its fingerprint in one transaction.
    pub fn replace_map(&mut self, points: &[MapPoint], meta: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM map_points", [])?;
        {
            let mut ins =
                tx.prepare("INSERT INTO map_points (paper_id, x, y) VALUES (?1, ?2, ?3)")?;
            for p in points {
                ins.execute(params![p.id, f64::from(p.x), f64::from(p.y)])?;
            }
        }
        super::settings::put_setting(&tx, "map.meta", meta)?;
        tx.commit()?;
        Ok(())
    }

    /// Key, title (with its formulas) and primary category of every paper.
    pub fn map_labels(&self) -> Result<Vec<MapLabel>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, key, title, json_extract(categories, '$[0]'), json_extract(math, '$.title') \
             FROM papers ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(MapLabel {
                id: r.get(0)?,
                key: r.get(1)?,
                title: r.get(2)?,
                category: r.get(3)?,
                title_math: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|m| serde_json::from_str(&m).ok())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
