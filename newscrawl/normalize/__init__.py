"""Small pure normalisers of values (dates, text), each tested with tables of real inputs."""
