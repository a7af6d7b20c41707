"""Exit 0 when the PostgreSQL server of a URL answers (the database itself may not exist yet)."""

import sys

import psycopg


def main(url: str) -> int:
    url = url.replace("postgresql+psycopg://", "postgresql://")
    server = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(server, connect_timeout=3).close()
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
