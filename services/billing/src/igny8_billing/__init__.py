"""Billing: plans, the credit ledger, balances."""
