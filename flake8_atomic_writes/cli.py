"""Command line (placeholder: being written under issue 5)."""


def main() -> int:
    raise SystemExit("not implemented yet")
