import asyncio


class Poller:
	async def wait(self):
		if self.ready:
			await asyncio.sleep(0.1)  # AF101
		return True
