"""Item pipelines: validate, drop in-run duplicates, store. Ordered in settings.ITEM_PIPELINES."""
