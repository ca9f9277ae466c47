//! venvoy-shell
