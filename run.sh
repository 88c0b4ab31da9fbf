#!/usr/bin/env bash
# Builds (if needed) and runs the whole server on its embedded defaults:
# SQLite in ./data, SMTP on 127.0.0.1:2525, web on 127.0.0.1:8080, smarthost 127.0.0.1:25.
# Extra arguments go to the server: --dev-smarthost (embedded GreenMail instead of an MTA), --config=PATH.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests package
exec java -jar app/target/kitamoto-lists.jar "$@"
