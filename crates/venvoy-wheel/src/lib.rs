//! venvoy-wheel
