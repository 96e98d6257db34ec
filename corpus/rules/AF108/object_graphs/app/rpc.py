from dataclasses import dataclass


class RPCHandler:
    def __init__(self, rpc: "RPC"):
        self._rpc = rpc


class RPC:
    def __init__(self, db):
        self.db = db

    def trade_status(self):
        with open("status.txt") as f:
            return f.read()

    def version(self):
        return "1.0"


class Loader:
    def __init__(self, path):
        with open(path) as f:
            self.text = f.read()


class Holder:
    def __init__(self, value):
        self.value = value


def read_config():
    with open("config.toml") as f:
        return f.read()


load_config = read_config


@dataclass
class Report:
    path: str

    def load(self):
        with open(self.path) as f:
            return f.read()
