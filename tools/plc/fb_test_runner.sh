#!/usr/bin/env bash
# The test a plc_fb_test target runs (tools/plc/defs.bzl): plc test with
# the rule's files, the script last.
exec "$@"
