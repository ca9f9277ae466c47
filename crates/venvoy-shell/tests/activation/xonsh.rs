//! xonsh tests.
