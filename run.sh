#!/usr/bin/env bash
# Builds (if needed) and runs the whole server on its embedded defaults:
# SQLite in ./data, SMTP on 127.0.0.1:2525, web on 127.0.0.1:8080, smarthost 127.0.0.1:25.
# Extra arguments go to the server: --dev-smarthost (embedded GreenMail instead of an MTA), --config=PATH.
#
# JVM flags, chosen on purpose (README "Running it as a service" shows the same line; bench/ measures with them):
#   -Xms64m -Xmx160m        the heap the server needs: a 100,000-member post delivers with about 60 MiB live; the
#                           cap keeps the whole process (heap + metaspace + code + threads) under 256 MiB RSS
#   -XX:+UseSerialGC        one GC thread, no per-core GC structures: the least memory and CPU on a small machine
#   -XX:TieredStopAtLevel=1 C1 only: C2's compiles cost more CPU than a burst of delivery saves (measured in
#                           bench/README.md) and its arenas add tens of MiB of RSS while they run
#   -XX:MaxMetaspaceSize=128m, -XX:ReservedCodeCacheSize=64m, -XX:MaxDirectMemorySize=64m, -Xss512k
#                           upper bounds on the rest, so that RSS has a ceiling one can add up
# Override with JAVA_FLAGS="..." ./run.sh (no JAVA_TOOL_OPTIONS needed).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests package
exec java ${JAVA_FLAGS:--Xms64m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -Xss512k} -jar app/target/kitamoto-lists.jar "$@"
