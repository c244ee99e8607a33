//! Dataset exports, one file per format.
