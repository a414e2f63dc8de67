//! Taking a lock whose last holder panicked. Papersift's locks guard caches, indexes and
//! handles whose every change is whole before the guard drops (a panic inside one leaves
//! the value as it was or fully changed, never half), so a poisoned lock is taken as it
//! is, here, rather than turning one panic into a panic at every later use.

use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// [`Mutex::lock`], poisoned or not.
pub trait LockAny<T> {
    /// The guard.
    fn lock_any(&self) -> MutexGuard<'_, T>;
}

impl<T> LockAny<T> for Mutex<T> {
    fn lock_any(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// [`RwLock::read`] and [`RwLock::write`], poisoned or not.
pub trait RwLockAny<T> {
    /// A read guard.
    fn read_any(&self) -> RwLockReadGuard<'_, T>;
    /// The write guard.
    fn write_any(&self) -> RwLockWriteGuard<'_, T>;
}

impl<T> RwLockAny<T> for RwLock<T> {
    fn read_any(&self) -> RwLockReadGuard<'_, T> {
        self.read().unwrap_or_else(|p| p.into_inner())
    }
    fn write_any(&self) -> RwLockWriteGuard<'_, T> {
        self.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_is_taken_as_it_is() {
        let m = std::sync::Arc::new(Mutex::new(1));
        let r = std::sync::Arc::new(RwLock::new(2));
        let (m2, r2) = (m.clone(), r.clone());
        let _ = std::thread::spawn(move || {
            let _g = m2.lock().unwrap();
            let _w = r2.write().unwrap();
            panic!("poison both");
        })
        .join();
        assert!(m.is_poisoned() && r.is_poisoned());
        *m.lock_any() += 1;
        *r.write_any() += 1;
        assert_eq!((*m.lock_any(), *r.read_any()), (2, 3));
    }
}
