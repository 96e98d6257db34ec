import asyncio


class Exchange:
    @property
    def markets(self):
        with open("markets.json") as f:
            return f.read()

    @property
    def name(self):
        return "exchange"

    def get_contract_size(self, pair):
        return self.markets[pair]

    def label(self):
        return self.name.upper()

    async def fetch(self, pair):
        return await asyncio.to_thread(self.get_contract_size, pair)  # AF108

    async def show(self):
        return self.label()  # ok: the property it reads does not block
