"""Compile and evaluation speed of the Python CEL libraries we considered.

    python benchmarks/cel_candidates.py

Candidates: `common-expression-language` (Rust bindings, module `cel`, the one we use)
and `cel-python` (pure Python, module `celpy`; installed by the `bench` extra).
"""

from __future__ import annotations

import statistics
import timeit

EXPRESSIONS = {
    "path": ("order.total", {"order": {"total": 12.5}}),
    "logic": (
        "check.valid && input.amount > 100 && input.country in ['DE', 'FR']",
        {"check": {"valid": True}, "input": {"amount": 150, "country": "DE"}},
    ),
    "macro": (
        "input.items.map(i, i.price * i.qty).exists(t, t > 10)",
        {"input": {"items": [{"price": 2, "qty": 3}, {"price": 5, "qty": 4}]}},
    ),
}


def per_call_us(fn, number: int) -> float:
    runs = timeit.repeat(fn, number=number, repeat=5)
    return statistics.median(runs) / number * 1e6


def bench_rust() -> dict[str, tuple[float, float]]:
    import cel

    results = {}
    for name, (source, env) in EXPRESSIONS.items():
        program = cel.compile(source)
        results[name] = (
            per_call_us(lambda source=source: cel.compile(source), 2000),
            per_call_us(lambda program=program, env=env: program.execute(env), 2000),
        )
    return results


def bench_celpy() -> dict[str, tuple[float, float]] | None:
    try:
        import celpy
    except ImportError:
        return None
    environment = celpy.Environment()
    results = {}
    for name, (source, env) in EXPRESSIONS.items():
        program = environment.program(environment.compile(source))
        activation = {key: celpy.json_to_cel(value) for key, value in env.items()}
        results[name] = (
            per_call_us(lambda source=source: environment.program(environment.compile(source)), 50),
            per_call_us(lambda program=program, a=activation: program.evaluate(a), 200),
        )
    return results


def main() -> None:
    rust = bench_rust()
    pure = bench_celpy()
    print(f"{'expression':<10}{'library':<30}{'compile µs':>12}{'evaluate µs':>13}")
    for name in EXPRESSIONS:
        print(
            f"{name:<10}{'common-expression-language':<30}{rust[name][0]:>12.1f}{rust[name][1]:>13.1f}"
        )
        if pure:
            print(f"{'':<10}{'cel-python':<30}{pure[name][0]:>12.1f}{pure[name][1]:>13.1f}")
            print(
                f"{'':<10}{'  ratio (cel-python / rust)':<30}"
                f"{pure[name][0] / rust[name][0]:>11.0f}x{pure[name][1] / rust[name][1]:>12.0f}x"
            )
    if pure is None:
        print("cel-python is not installed: pip install -e '.[bench]'")


if __name__ == "__main__":
    main()
