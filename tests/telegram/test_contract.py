"""The adapter contract on Telegram: the real python-telegram-bot stack against the fake Bot API."""

from tests.contract.adapter_contract import AdapterContract


class TestTelegramContract(AdapterContract):
    pass
