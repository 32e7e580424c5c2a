"""Builders the tests share: annexes, factories, scenarios, AppTest helpers."""
