#!/usr/bin/env bash
# Seed corpora from the repository's own scenarios (examples/scenarios):
# the policy files themselves for `policy`, and what the three backends
# lower them to (YAML and JSON) for the manifest targets. Run from fuzz/.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/policy corpus/parse_manifests corpus/parse_json corpus/roundtrip
cp "$root"/examples/scenarios/S*.yaml corpus/policy/
cargo build --quiet --manifest-path "$root/Cargo.toml" --example render
render="${CARGO_TARGET_DIR:-$root/target}/debug/examples/render"
for f in "$root"/examples/scenarios/S*.yaml; do
  id=$(basename "$f" .yaml)
  for mesh in istio linkerd consul; do
    # Scenarios a mesh cannot express exit 3: no seed from them.
    "$render" --mesh "$mesh" "$f" > "corpus/parse_manifests/$id-$mesh.yaml" 2>/dev/null \
      || rm -f "corpus/parse_manifests/$id-$mesh.yaml"
    "$render" --mesh "$mesh" --format json "$f" > "corpus/parse_json/$id-$mesh.json" 2>/dev/null \
      || rm -f "corpus/parse_json/$id-$mesh.json"
  done
done
cp corpus/parse_manifests/* corpus/roundtrip/
echo "seeds: $(ls corpus/policy | wc -l) policies, $(ls corpus/parse_manifests | wc -l) YAML and $(ls corpus/parse_json | wc -l) JSON manifest streams"
