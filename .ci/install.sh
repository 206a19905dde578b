#!/usr/bin/env bash
# Installs the tools the tests drive (idempotent; root on CI).
set -euo pipefail
