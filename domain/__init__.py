"""Pure rules: money, pricing, state machines, our own tokens. No Flask, no database."""
