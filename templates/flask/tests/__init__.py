"""Tests of the service, laid out like its package."""
