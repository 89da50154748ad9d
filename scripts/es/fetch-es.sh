#!/usr/bin/env bash
# Fetches the Elasticsearch distribution the *IT tests and the quickstart start, once, into .cache/ under the
# repository (git-ignored), through Maven's own repository settings, and unpacks it. Idempotent: a second run
# that finds the unpacked distribution does nothing. Prints the distribution's home directory.
# Usage: scripts/es/fetch-es.sh [version]      (default: the parent pom's elasticsearch.test.version)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
version="${1:-$(sed -n 's:.*<elasticsearch.test.version>\(.*\)</elasticsearch.test.version>.*:\1:p' "$root/pom.xml")}"
[ -n "$version" ] || { echo "fetch-es: no version given and none found in $root/pom.xml" >&2; exit 1; }
cache="$root/.cache/elasticsearch"
home="$cache/elasticsearch-$version"
if [ -x "$home/bin/elasticsearch" ] && [ -f "$home/.complete" ]; then
  echo "$home"
  exit 0
fi
mkdir -p "$cache"
zip="$cache/elasticsearch-$version.zip"
if [ ! -s "$zip" ]; then
  echo "fetch-es: downloading org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip" >&2
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$version:zip" \
    -DoutputDirectory="$cache" -Dmdep.overWriteReleases=true -Dmdep.useBaseVersion=true >&2
fi
[ -s "$zip" ] || { echo "fetch-es: $zip missing after download; check network access to Maven Central" >&2; exit 1; }
tmp="$(mktemp -d "$cache/unpack.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
unzip -q "$zip" -d "$tmp"
[ -x "$tmp/elasticsearch-$version/bin/elasticsearch" ] || { echo "fetch-es: $zip holds no elasticsearch-$version/bin/elasticsearch" >&2; exit 1; }
rm -rf "$home"
mv "$tmp/elasticsearch-$version" "$home"
touch "$home/.complete"
echo "$home"
