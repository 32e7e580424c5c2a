"""Who and what: accounts, sign-in, units and their aliases, plans."""
