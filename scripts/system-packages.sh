#!/usr/bin/env bash
# The Debian packages the tests need: chromium (browser tests) and fonts-noto-cjk (Chinese in
# screenshots and PDFs). Installed when missing and run as root; otherwise says how.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# WeasyPrint (PDF answer letters) lays out text with Pango.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
else
    echo "缺少系统软件包：${missing[*]}。请以 root 运行：apt-get install -y ${missing[*]}" >&2
    exit 1
fi
