"""Downstream checks: does synthetic data help a model on real target-language data?"""
