//! The title page.
