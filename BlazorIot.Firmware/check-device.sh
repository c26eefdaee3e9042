#!/usr/bin/env bash
# Compiles the firmware's Core/ + Device/ against reference assemblies built from nanoFramework's
# own library sources, at the tags BlazorIot.Firmware.nfproj pins. NANOFRAMEWORK_SOURCES is a
# folder of git clones of those repositories (README.md lists them). Exits non-zero on any error
# or warning.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${NANOFRAMEWORK_SOURCES:-}" ]; then
  echo "NANOFRAMEWORK_SOURCES is not set: point it at a folder of nanoFramework's library repositories (see $here/README.md)." >&2
  exit 2
fi
exec dotnet run --project "$here/DeviceCheck/BlazorIot.Firmware.DeviceCheck.csproj" --configuration Release -- \
  --firmware "$here" --sources "$NANOFRAMEWORK_SOURCES" "$@"
