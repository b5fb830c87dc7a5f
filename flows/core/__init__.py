"""Django-free core: the IR, validator, expressions, engine and planners."""
