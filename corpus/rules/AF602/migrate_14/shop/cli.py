import sys

from . import repo


def main(argv):  # AF602
    repo.place_in_transaction(int(argv[1]))  # AF602
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))  # AF602
