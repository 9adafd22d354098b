"""Platform adapters. Each package translates one platform's updates into `bot.events` and `bot.actions`
into that platform's calls; platform types never leave the package."""
