#!/usr/bin/env bash
# Mutation testing (StrykerJS, stryker.config.mjs), one Stryker run per folder
# so that each has its own score, incremental file and report:
#   bash scripts/mutation.sh                 model, analysis and rows in turn
#   bash scripts/mutation.sh rows analysis   only those
# Stryker options go after `--`, e.g. `-- --concurrency 1`.
# Reports: reports/mutation/<folder>.html and .json. Not part of CI: hours on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

folders=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do folders+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ ${#folders[@]} -gt 0 ] || folders=(model analysis rows)

for f in "${folders[@]}"; do
  case "$f" in
    model | analysis | rows) ;;
    *) echo "mutation.sh: folder '$f' is not one of: model, analysis, rows" >&2; exit 2 ;;
  esac
  MUTATION_FOLDER="$f" npx stryker run "$@"
done
