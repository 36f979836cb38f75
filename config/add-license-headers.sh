#!/usr/bin/env bash
# Puts config/license-header.txt at the top of every Java source file that lacks it (idempotent).
# Run from anywhere: config/add-license-headers.sh. Checkstyle's Header check (config/checkstyle.xml) fails the build
# on a file without it.
set -euo pipefail
cd "$(dirname "$0")/.."
header=config/license-header.txt
lines=$(wc -l < "$header")
git ls-files -co --exclude-standard -- '*.java' | while read -r file; do
    if ! head -n "$lines" "$file" | cmp -s - "$header"; then
        { cat "$header"; cat "$file"; } > "$file.tmp" && mv "$file.tmp" "$file"
        echo "header added: $file"
    fi
done
