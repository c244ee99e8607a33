//! Reviewing colleagues' tags: agreement metrics, merge, adjudication.
