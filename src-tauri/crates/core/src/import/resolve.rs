//! Resolution of reading-list entries to library papers (filled in below).
