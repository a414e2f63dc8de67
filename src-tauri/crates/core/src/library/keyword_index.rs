//! The keyword index's life beside the library: opened or built as the library opens,
//! caught up from the change log before a search, rebuilt when damaged, and checked
//! against the database. The index itself is [`crate::keywords`]; searches that use it
//! are in `search.rs`.

use super::*;

/// A library up to this size gets its keyword index built as it opens (about a second
/// per 10k papers); a larger one is built by [`Library::load_keyword_index`], in the
/// app's background, while FTS5 ranks.
pub(super) const KEYWORDS_BUILD_AT_OPEN_MAX: usize = 10_000;

/// Log entries a search applies to a keyword index that is behind before it uses it;
/// further behind, FTS5 serves that search and the background catches up.
pub(super) const KEYWORDS_CATCH_UP_AT_SEARCH_MAX: i64 = 2_000;

/// Papers read and indexed at a time while building the keyword index.
pub(super) const KEYWORDS_PAGE: usize = 5_000;

/// The keyword index's life: not loaded (FTS5 ranks), being built, or serving.
pub(super) enum Keywords {
    Off,
    Building,
    Ready(Arc<KeywordEngine>),
}

/// The keyword index against the database ([`Library::keyword_index_check`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KeywordCheck {
    /// Papers in the database.
    pub papers: usize,
    /// Entries in the index.
    pub entries: usize,
    /// Papers without an entry.
    pub missing: usize,
    /// Entries whose text or fields differ from their paper's.
    pub stale: usize,
    /// Entries of papers no longer in the database.
    pub removed: usize,
    /// Papers with more than one entry.
    pub duplicates: usize,
    /// The last log entry the index holds, and the log's newest.
    pub applied: i64,
    /// See `applied`.
    pub log_head: i64,
    /// Bytes the index takes on disk.
    pub disk_bytes: u64,
}

impl KeywordCheck {
    /// True when the index holds every paper once, as stored, and nothing else.
    pub fn agrees(&self) -> bool {
        self.missing == 0
            && self.stale == 0
            && self.removed == 0
            && self.duplicates == 0
            && self.papers == self.entries
    }
}

impl Library {
    /// The keyword index's folder (`None`: a library in memory, whose index is too).
    pub(super) fn keyword_dir(&self) -> Option<PathBuf> {
        (!self.data_dir.as_os_str().is_empty()).then(|| self.data_dir.join(keywords::DIR))
    }

    /// Opens the keyword index as the library opens: the stored one when it is sound,
    /// else a new one built at once for a small library (larger ones wait for
    /// [`Library::load_keyword_index`]).
    pub(super) fn open_keyword_index(&self) -> Result<()> {
        let opened = match self.keyword_dir() {
            Some(dir) => KeywordEngine::open(&dir)?,
            None => None,
        };
        match opened {
            Some(engine) => {
                *self.keywords.write_any() = Keywords::Ready(Arc::new(engine));
            }
            None if self.store().paper_count()? <= KEYWORDS_BUILD_AT_OPEN_MAX => {
                if let Err(e) = self.load_keyword_index() {
                    log::warn!("keyword index not built, FTS5 ranks keywords: {e}");
                }
            }
            None => {}
        }
        Ok(())
    }

    /// Brings the keyword index up to the papers just stored. A failure leaves the
    /// changes in the log (the papers are stored): the next search or start applies them.
    pub(super) fn update_keyword_index(&self) {
        let Some(engine) = self.ready_keywords() else {
            return;
        };
        match self.catch_up(&engine) {
            Ok(()) => {}
            // Another process (the app beside a CLI sync) writes it: it applies these.
            Err(Error::Busy(m)) => log::info!("keyword index not updated here: {m}"),
            Err(e) => log::warn!("keyword index not updated yet: {e}"),
        }
    }

    pub(super) fn ready_keywords(&self) -> Option<Arc<KeywordEngine>> {
        match &*self.keywords.read_any() {
            Keywords::Ready(e) => Some(e.clone()),
            _ => None,
        }
    }

    /// Applies what the keyword log holds past the index's last commit.
    pub(super) fn catch_up(&self, engine: &KeywordEngine) -> Result<()> {
        let _one = self.keyword_writes.lock_any();
        // Another process may have committed since: start from what is on disk.
        let mut after = engine.refresh()?;
        loop {
            let (ids, last) = self.store().keyword_changes(after, KEYWORDS_PAGE)?;
            if last == after {
                return Ok(());
            }
            let docs = self.store().keyword_docs(KeywordDocs::Ids(&ids))?;
            engine.apply(&ids, &docs, last)?;
            self.store().trim_keyword_log(last)?;
            after = last;
        }
    }

    /// The keyword index when it can serve a search: ready and holding every stored
    /// change (a few missing ones are applied first); `None`: FTS5 serves.
    pub(super) fn current_keywords(&self) -> Option<Arc<KeywordEngine>> {
        let engine = self.ready_keywords()?;
        let head = match self.store().keyword_log_head() {
            Ok(h) => h,
            Err(e) => {
                log::warn!("keyword log unreadable: {e}");
                return None;
            }
        };
        if engine.applied() >= head {
            return Some(engine);
        }
        let behind = head - engine.refresh().unwrap_or(-1);
        if behind <= 0 {
            return Some(engine);
        }
        if behind > KEYWORDS_CATCH_UP_AT_SEARCH_MAX {
            return None;
        }
        match self.catch_up(&engine) {
            Ok(()) if engine.applied() >= head => Some(engine),
            Ok(()) => None,
            Err(e) => {
                log::info!("keyword index behind, FTS5 serves: {e}");
                None
            }
        }
    }

    /// Makes the keyword index serve: builds it from the database when it is missing,
    /// unreadable or of an older layout (FTS5 ranks meanwhile; `progress(done, total)`
    /// after each page of papers), and applies the changes it lacks. Returns whether it
    /// serves (false: another thread is building it).
    pub fn load_keyword_index(&self) -> Result<bool> {
        self.load_keyword_index_with(&mut |_, _| {})
    }

    /// [`Library::load_keyword_index`] with progress.
    pub fn load_keyword_index_with(&self, progress: &mut dyn FnMut(usize, usize)) -> Result<bool> {
        {
            let mut keywords = self.keywords.write_any();
            match &*keywords {
                Keywords::Ready(e) => {
                    let e = e.clone();
                    drop(keywords);
                    self.catch_up(&e)?;
                    return Ok(true);
                }
                Keywords::Building => return Ok(false),
                Keywords::Off => {}
            }
            *keywords = Keywords::Building;
        }
        let started = std::time::Instant::now();
        let built = self.build_keyword_index(progress);
        let mut keywords = self.keywords.write_any();
        match built {
            Ok(engine) => {
                log::info!("keyword index built in {:?}", started.elapsed());
                let engine = Arc::new(engine);
                *keywords = Keywords::Ready(engine.clone());
                drop(keywords);
                self.catch_up(&engine)?;
                Ok(true)
            }
            Err(e) => {
                *keywords = Keywords::Off;
                Err(e)
            }
        }
    }

    /// Builds the keyword index anew from the database (`papersift keywords --rebuild`).
    pub fn rebuild_keyword_index_with(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<bool> {
        {
            let mut keywords = self.keywords.write_any();
            if matches!(&*keywords, Keywords::Building) {
                return Ok(false);
            }
            *keywords = Keywords::Off;
        }
        self.load_keyword_index_with(progress)
    }

    /// Ranks keywords by SQLite's FTS5 alone from now on in this handle, as while the
    /// keyword index is built: the baseline `bench-search --fts5` measures.
    pub fn fts5_only(&self) {
        *self.keywords.write_any() = Keywords::Off;
    }

    /// Every paper into a new keyword index, committed as holding the log as it was
    /// when the build began.
    pub(super) fn build_keyword_index(
        &self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<KeywordEngine> {
        let dir = self.keyword_dir();
        let engine = KeywordEngine::create(dir.as_deref())?;
        let (head, total) = {
            let store = self.store();
            (store.keyword_log_head()?, store.paper_count()?)
        };
        progress(0, total);
        let mut done = 0;
        self.each_keyword_page(&mut |page| {
            engine.add_for_build(page)?;
            done += page.len();
            progress(done, total.max(done));
            Ok(())
        })?;
        engine.finish_build(head)?;
        self.store().trim_keyword_log(head)?;
        Ok(engine)
    }

    /// Every paper as the keyword index holds it, a page at a time: the store is free
    /// between pages and the texts are not all in memory at once.
    pub(super) fn each_keyword_page(
        &self,
        f: &mut dyn FnMut(&[crate::model::KeywordDoc]) -> Result<()>,
    ) -> Result<()> {
        let mut after = i64::MIN;
        loop {
            let page = self.store().keyword_docs(KeywordDocs::Page {
                after,
                limit: KEYWORDS_PAGE,
            })?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.id;
            f(&page)?;
        }
    }

    /// How the keyword index stands against the database: what a check after a crash
    /// compares (`papersift keywords`).
    pub fn keyword_index_check(&self) -> Result<KeywordCheck> {
        let engine = self
            .ready_keywords()
            .ok_or_else(|| Error::KeywordIndex("the keyword index is not loaded".into()))?;
        let entries = engine.entries()?;
        let mut docs: Vec<(i64, u64)> = Vec::new();
        self.each_keyword_page(&mut |page| {
            docs.extend(page.iter().map(|d| (d.id, d.digest())));
            Ok(())
        })?;
        let want: std::collections::HashMap<i64, u64> = docs.iter().copied().collect();
        let mut seen = HashSet::new();
        let mut check = KeywordCheck {
            papers: docs.len(),
            entries: entries.len(),
            applied: engine.applied(),
            log_head: self.store().keyword_log_head()?,
            disk_bytes: engine.disk_bytes(),
            ..KeywordCheck::default()
        };
        for (id, digest) in &entries {
            if !seen.insert(*id) {
                check.duplicates += 1;
            }
            match want.get(id) {
                None => check.removed += 1,
                Some(d) if d != digest => check.stale += 1,
                Some(_) => {}
            }
        }
        check.missing = want.keys().filter(|id| !seen.contains(id)).count();
        Ok(check)
    }
}
