#!/usr/bin/env bash
# `asyncfix rules` lists every rule; `asyncfix explain` prints a rule's documentation.
source "$(dirname "$0")/lib.sh"

expect_exit 0 "$ASYNCFIX" rules
expect_contains "$TMP/out" "AF101"
expect_contains "$TMP/out" "blocking-sleep"
expect_exit 0 "$ASYNCFIX" explain AF101
expect_contains "$TMP/out" "# AF101 blocking-sleep"
expect_contains "$TMP/out" "## Why is this bad?"
expect_contains "$TMP/out" "## Fix safety"
expect_exit 0 "$ASYNCFIX" explain blocking-sleep
expect_exit 2 "$ASYNCFIX" explain AF999
expect_contains "$TMP/err" "unknown rule 'AF999'"
finish
