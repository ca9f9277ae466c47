//! venvoy-venv
