#!/usr/bin/env bash
# Installs what DocServer Doctor needs on Debian 12, and nothing already there. Idempotent.
#   packaging/install-deps.sh            build + run + test dependencies
#   packaging/install-deps.sh --runtime  only what the built programs need to run
set -euo pipefail

build_deps=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev
    qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qtkeychain-qt6-dev
    libssl-dev libpcap-dev libpq-dev libhiredis-dev
)
# Servers the Fault Lab and the integration tests start on loopback, and tshark for the
# capture benchmarks' comparison.
lab_deps=(nginx-light postgresql redis-server rabbitmq-server apache2 tshark)
# A private session bus with GNOME Keyring's Secret Service: the keychain tests store JWT secrets there.
keychain_test_deps=(dbus gnome-keyring libsecret-1-0)
# systemd-journal-remote writes real journal files for the live `logs follow --journal-file` test.
journal_test_deps=(systemd-journal-remote)
# The workbench without a desktop: Xvfb for screenshots, the offscreen platform needs nothing.
gui_tools=(xvfb xauth imagemagick)

wanted=("${build_deps[@]}" "${lab_deps[@]}" "${keychain_test_deps[@]}" "${journal_test_deps[@]}" "${gui_tools[@]}")
if [[ "${1:-}" == "--runtime" ]]; then
    # libsecret: qtkeychain loads it at run time to reach the Secret Service.
    wanted=(libqt6widgets6 libqt6charts6 libqt6svg6 libqt6network6 libqt6keychain1 libsecret-1-0 "${lab_deps[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
        echo "install-deps: missing packages: ${missing[*]} — run this script as root" >&2
        exit 1
    fi
else
    SUDO=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the helper binary handles privilege instead.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
# Packages whose maintainer scripts start services (postgresql, redis, rabbitmq, nginx) must not
# fail the install where no init system runs (containers, CI); the tests start their own copies.
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
