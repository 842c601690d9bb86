"""Training with generated code: data sets, the SGD loop, its progress bar and loss curve."""
