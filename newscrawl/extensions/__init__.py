"""Extensions: the run's archive (store owner), its verdict and its progress lines."""
