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
