//! venvoy-dist
