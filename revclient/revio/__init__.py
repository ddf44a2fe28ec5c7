"""revio resources and models."""
