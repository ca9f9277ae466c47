//! venvoy-python
