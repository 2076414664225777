"""State changes in programmes. Import from the module that owns the change."""
