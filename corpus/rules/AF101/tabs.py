import time


class Poller:
	async def wait(self):
		if self.ready:
			time.sleep(0.1)  # AF101
		return True
