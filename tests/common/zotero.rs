//! Zotero databases for tests, built from Zotero's own schema (`tests/fixtures/zotero/`:
//! `system.sql`, `userdata.sql`, `triggers.sql`, and the item types and fields of
//! `global_schema.json`), then filled through Zotero's tables as Zotero fills them.

use rusqlite::{params, Connection};
use std::path::{Path, PathBuf};

/// A Zotero data folder with its `zotero.sqlite`, open for the test to change.
pub struct ZoteroDb {
    pub dir: PathBuf,
    conn: Connection,
    next_key: u32,
}

/// Zotero's 8-character keys use these letters and digits.
const KEY_CHARS: &[u8] = b"23456789ABCDEFGHIJKLMNPQRSTUVWXYZ";

impl ZoteroDb {
    /// A new, empty Zotero data folder in `dir`: My Library (libraryID 1), no items.
    pub fn create(dir: &Path) -> ZoteroDb {
        std::fs::create_dir_all(dir).unwrap();
        let conn = Connection::open(dir.join("zotero.sqlite")).unwrap();
        let schema = super::fixture("zotero");
        let files = ["system.sql", "userdata.sql", "triggers.sql"];
        for file in files {
            let sql = std::fs::read_to_string(schema.join(file)).unwrap();
            conn.execute_batch(&sql).unwrap();
        }
        for file in files {
            // Each file's first line is "-- VERSION"; Zotero records it.
            let sql = std::fs::read_to_string(schema.join(file)).unwrap();
            let version: i64 = sql.lines().next().unwrap()[3..].trim().parse().unwrap();
            let name = file.trim_end_matches(".sql");
            conn.execute(
                "INSERT INTO version (schema, version) VALUES (?1, ?2)",
                params![name, version],
            )
            .unwrap();
        }
        let global: serde_json::Value =
            serde_json::from_slice(&std::fs::read(schema.join("global_schema.json")).unwrap())
                .unwrap();
        let mut field_ids = std::collections::HashMap::new();
        for (i, t) in global["itemTypes"].as_array().unwrap().iter().enumerate() {
            let type_id = i as i64 + 1;
            let name = t["itemType"].as_str().unwrap();
            conn.execute(
                "INSERT INTO itemTypes (itemTypeID, typeName, display) VALUES (?1, ?2, 1)",
                params![type_id, name],
            )
            .unwrap();
            for (order, f) in t["fields"].as_array().unwrap().iter().enumerate() {
                let field = f["field"].as_str().unwrap().to_string();
                let next = field_ids.len() as i64 + 1;
                let id = *field_ids.entry(field.clone()).or_insert_with(|| {
                    conn.execute(
                        "INSERT INTO fields (fieldID, fieldName) VALUES (?1, ?2)",
                        params![next, field],
                    )
                    .unwrap();
                    next
                });
                conn.execute(
                    "INSERT INTO itemTypeFields (itemTypeID, fieldID, hide, orderIndex) VALUES (?1, ?2, 0, ?3)",
                    params![type_id, id, order as i64],
                )
                .unwrap();
            }
        }
        // Zotero fills the "combined" tables from these (and custom types) at start-up.
        conn.execute_batch(
            "INSERT INTO itemTypesCombined SELECT itemTypeID, typeName, display, 0 FROM itemTypes; \
             INSERT INTO fieldsCombined SELECT fieldID, fieldName, NULL, fieldFormatID, 0 FROM fields;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (1, 'user', 1, 1)",
            [],
        )
        .unwrap();
        ZoteroDb {
            dir: dir.to_path_buf(),
            conn,
            next_key: 0,
        }
    }

    fn key(&mut self) -> String {
        self.next_key += 1;
        let mut n = self.next_key as usize * 7919;
        (0..8)
            .map(|_| {
                let c = KEY_CHARS[n % KEY_CHARS.len()] as char;
                n /= KEY_CHARS.len();
                n += 3;
                c
            })
            .collect()
    }

    /// A collection (under `parent`); returns (collectionID, key).
    pub fn collection(&mut self, name: &str, parent: Option<i64>) -> (i64, String) {
        let key = self.key();
        self.conn
            .execute(
                "INSERT INTO collections (collectionName, parentCollectionID, libraryID, key) VALUES (?1, ?2, 1, ?3)",
                params![name, parent, key],
            )
            .unwrap();
        (self.conn.last_insert_rowid(), key)
    }

    /// An item of `item_type` with `fields` (Zotero field names); returns its itemID.
    pub fn item(&mut self, item_type: &str, fields: &[(&str, &str)]) -> i64 {
        let key = self.key();
        self.conn
            .execute(
                "INSERT INTO items (itemTypeID, libraryID, key) \
                 VALUES ((SELECT itemTypeID FROM itemTypes WHERE typeName = ?1), 1, ?2)",
                params![item_type, key],
            )
            .unwrap();
        let id = self.conn.last_insert_rowid();
        for (field, value) in fields {
            self.conn
                .execute(
                    "INSERT OR IGNORE INTO itemDataValues (value) VALUES (?1)",
                    [value],
                )
                .unwrap();
            self.conn
                .execute(
                    "INSERT INTO itemData (itemID, fieldID, valueID) VALUES (?1, \
                       (SELECT fieldID FROM fields WHERE fieldName = ?2), \
                       (SELECT valueID FROM itemDataValues WHERE value = ?3))",
                    params![id, field, value],
                )
                .unwrap();
        }
        id
    }

    /// A linked-URL attachment of `parent`.
    pub fn attachment(&mut self, parent: i64, url: &str) -> i64 {
        let id = self.item(
            "attachment",
            &[("title", "Submitted Version"), ("url", url)],
        );
        self.conn
            .execute(
                "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType) VALUES (?1, ?2, 3, 'application/pdf')",
                params![id, parent],
            )
            .unwrap();
        id
    }

    /// A standalone note (it is an item, and never a paper).
    pub fn note(&mut self, text: &str) -> i64 {
        let id = self.item("note", &[]);
        self.conn
            .execute(
                "INSERT INTO itemNotes (itemID, note, title) VALUES (?1, ?2, ?2)",
                params![id, text],
            )
            .unwrap();
        id
    }

    /// Puts an item in a collection.
    pub fn add(&self, collection: i64, item: i64) {
        self.conn
            .execute(
                "INSERT INTO collectionItems (collectionID, itemID) VALUES (?1, ?2)",
                params![collection, item],
            )
            .unwrap();
    }

    /// Takes an item out of a collection.
    pub fn remove(&self, collection: i64, item: i64) {
        self.conn
            .execute(
                "DELETE FROM collectionItems WHERE collectionID = ?1 AND itemID = ?2",
                params![collection, item],
            )
            .unwrap();
    }

    /// Moves an item to Zotero's trash.
    pub fn trash(&self, item: i64) {
        self.conn
            .execute("INSERT INTO deletedItems (itemID) VALUES (?1)", [item])
            .unwrap();
    }

    /// Runs `f` in one transaction (for building large libraries quickly).
    pub fn batch(&mut self, f: impl FnOnce(&mut ZoteroDb)) {
        self.conn.execute_batch("BEGIN").unwrap();
        f(self);
        self.conn.execute_batch("COMMIT").unwrap();
    }

    /// Holds the database as a running Zotero does: an exclusive lock, until dropped.
    pub fn lock_like_zotero(&self) -> Connection {
        let c = Connection::open(self.dir.join("zotero.sqlite")).unwrap();
        c.pragma_update(None, "locking_mode", "EXCLUSIVE").unwrap();
        c.execute_batch("BEGIN EXCLUSIVE; SELECT count(*) FROM items;")
            .unwrap();
        c
    }
}
