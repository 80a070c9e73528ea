#!/usr/bin/env bash
# MyiV3 offline: the Spotify emulator on 127.0.0.1:5199 plus the app pointed at it.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build MyiV3.SpotifyEmulator MyiV3.Web -v q -nologo
dotnet run --no-build --project MyiV3.SpotifyEmulator -- --urls http://127.0.0.1:5199 &
EMULATOR=$!
trap 'kill "$EMULATOR" 2>/dev/null || true' EXIT
export Spotify__AccountsBaseUrl=http://127.0.0.1:5199
export Spotify__ApiBaseUrl=http://127.0.0.1:5199
export Spotify__ClientId=myi-emulator
export Spotify__RedirectUri=http://127.0.0.1:5080/account/callback
dotnet run --no-build --project MyiV3.Web -- --urls http://127.0.0.1:5080
