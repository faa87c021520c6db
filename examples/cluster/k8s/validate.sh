#!/usr/bin/env bash
# Validate the Kubernetes files strictly (unknown or misplaced fields are
# errors) against the oldest Kubernetes they claim to support (1.26:
# podFailurePolicy) and the newest schema kubernetes-validate knows, with
# kubernetes-validate from the package registry in a virtual environment
# of its own. Fails loudly when it cannot be installed.
#
#   examples/cluster/k8s/validate.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv" || { echo "validate.sh: cannot create a virtual environment" >&2; exit 1; }
"$venv/bin/pip" install -q kubernetes-validate ||
    { echo "validate.sh: cannot install kubernetes-validate" >&2; exit 1; }
newest=$("$venv/bin/kubernetes-validate" --help | sed -n 's/.*Defaults to \([0-9.]*\).*/\1/p' | head -n 1)
[ -n "$newest" ] || { echo "validate.sh: cannot tell kubernetes-validate's newest version" >&2; exit 1; }
for version in 1.26.0 "$newest"; do
    "$venv/bin/kubernetes-validate" --strict --quiet -k "$version" "$here"/*.yaml
    echo "validate.sh: every file valid for Kubernetes $version (strict)"
done
