"""The shared adapter contract, run against the real discord.py talking to the fake Discord."""

from tests.contract.adapter_contract import AdapterContract


class TestDiscordContract(AdapterContract):
    pass
