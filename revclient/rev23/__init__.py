"""rev23 resources and models."""
