"""A period's batch: fingerprints, ingest once, the notebooks on warm kernels, executors,
the period's lock and the run manifest."""
